package dev.tauon.experiment.report;

import dev.tauon.experiment.report.Study.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

// The paper's CIFAR-10 numbers (Wang & Liu, CVPR 2021, Table 1 and the full ordinary-loss sweep;
// docs/paper.md §5), to set a study's columns beside them. The paper's datasets and network differ
// from a Fashion-MNIST study's, so the comparison is of shapes (which τ wins, which way a metric
// moves), not of the values themselves.
final class Paper {
    private Paper() {}

    // (loss, τ) -> {linear accuracy %, −L_unif, tolerance}; NaN where the paper gives no number.
    private static final double N = Double.NaN;
    static final Map<String, double[]> CIFAR10 = Map.ofEntries(
            Map.entry("infonce 0.05", new double[] {N, 3.85, 0.05}),
            Map.entry("infonce 0.07", new double[] {79.75, 3.86, 0.04}),
            Map.entry("infonce 0.1", new double[] {N, 3.85, 0.05}),
            Map.entry("infonce 0.2", new double[] {N, 3.74, 0.11}),
            Map.entry("infonce 0.3", new double[] {83.27, 3.60, 0.178}),
            Map.entry("infonce 0.4", new double[] {N, 3.45, 0.24}),
            Map.entry("infonce 0.5", new double[] {N, 3.34, 0.27}),
            Map.entry("infonce 0.6", new double[] {N, 3.26, 0.31}),
            Map.entry("infonce 0.7", new double[] {82.69, 3.17, 0.333}),
            Map.entry("infonce 0.8", new double[] {N, 3.09, 0.36}),
            Map.entry("infonce 0.9", new double[] {N, 2.95, 0.40}),
            Map.entry("infonce 1", new double[] {82.21, 2.96, 0.372}),
            Map.entry("simple", new double[] {74.83, 1.68, 0.61}),
            Map.entry("hard 0.07", new double[] {79.20, 3.88, 0.034}),
            Map.entry("hard 0.3", new double[] {83.63, 3.89, 0.027}),
            Map.entry("hard 0.7", new double[] {84.19, 3.87, 0.030}),
            Map.entry("hard 1", new double[] {84.19, 3.86, 0.030}),
            Map.entry("hardsimple", new double[] {84.84, 3.85, 0.030}));

    static double[] cifar10(String loss, double tau) {
        double[] v = CIFAR10.get(Double.isNaN(tau) ? loss : loss + " " + Tables.plain(tau));
        return v == null ? new double[] {N, N, N} : v;
    }

    // The study's columns, each metric twice: Tauon's (mean ± std over seeds) and the paper's
    // CIFAR-10 value at the same loss and τ ("–" where the paper has none).
    static Tables.Table beside(Study s) {
        List<Column> cols = s.columns();
        List<String> header = new ArrayList<>(List.of("metric"));
        cols.forEach(c -> header.add(c.label()));
        List<List<String>> rows = new ArrayList<>();
        Metric[] metrics = {Metric.LINEAR, Metric.UNIFORMITY, Metric.TOLERANCE};
        int[] decimals = {2, 2, 3};
        for (int i = 0; i < metrics.length; i++) {
            List<String> ours = new ArrayList<>(List.of(metrics[i].label + ", Tauon " + s.dataset()));
            List<String> theirs = new ArrayList<>(List.of(metrics[i].label + ", paper CIFAR-10"));
            for (Column c : cols) {
                ours.add(Tables.cell(c.stat(metrics[i]), metrics[i]));
                double p = cifar10(c.loss(), c.tau())[i];
                theirs.add(Double.isNaN(p) ? "–" : Tables.fixed(p, decimals[i]));
            }
            rows.add(ours);
            rows.add(theirs);
        }
        return new Tables.Table(header, rows);
    }
}
