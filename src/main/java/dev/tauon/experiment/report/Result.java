package dev.tauon.experiment.report;

import java.util.List;

// One finished run as the report sees it: what config.json says it was, what metrics.json
// measured (indexed by Metric; a null or absent number is NaN) and its history.csv. tau is NaN
// for the losses without a temperature; k is 0 unless the loss keeps only the top-K negatives.
public record Result(String folder, String runId, String dataset, String setting, String loss, double tau, int k,
                     long seed, int epochs, String tauonVersion, double[] metrics, List<Quartiles> ranks,
                     Profile hardness, List<Epoch> history, Baselines baselines) {

    public double get(Metric m) { return metrics[m.ordinal()]; }

    public boolean hasTau() { return !Double.isNaN(tau); }

    // Collapsed: the test embeddings all lie near one point, −L_unif below 0.05 (by Jensen, a mean
    // similarity between test images above 0.987; an untrained SmallConvNet has about 0.09).
    static final double COLLAPSED_UNIFORMITY = 0.05;

    public boolean collapsed() { return get(Metric.UNIFORMITY) < COLLAPSED_UNIFORMITY; }

    // One box of metrics.json "ranks": pos, n1 … n10.
    public record Quartiles(String name, double min, double q1, double median, double q3, double max) {}

    // metrics.json "hardness_profile": mean r_ij per similarity bin at the run's τ.
    public record Profile(double tau, double[] s, double[] r, long[] count) {}

    // One row of history.csv; knn is NaN on epochs without a monitor.
    public record Epoch(int epoch, double loss, double knn) {}

    // metrics.json "baselines" (fractions; NaN where absent).
    public record Baselines(double rawPixelKnn, double untrainedKnn, double untrainedLinear) {}
}
