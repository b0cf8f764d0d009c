package dev.tauon.metrics;

import dev.tauon.kernel.TopK;

// The paper's kNN monitor (docs/paper.md §4): cosine similarity against a labelled bank, the K most
// similar entries (ties to the lower index) vote with weight exp(s/σ) (K = 200, σ = 0.07), or one
// vote each (plain k = 1, 5 majority). Queries go through the GEMM in blocks; ties between classes
// go to the lower class.
public final class KnnClassifier {
    public record Config(int k, double sigma, boolean weighted) {
        public Config {
            if (k < 1) throw new IllegalArgumentException("knn: k must be at least 1, got " + k);
            if (weighted && !(sigma > 0)) throw new IllegalArgumentException("knn: sigma must be positive, got " + sigma);
        }

        public static Config paper() { return new Config(200, 0.07, true); }

        public static Config majority(int k) { return new Config(k, Double.NaN, false); }
    }

    private KnnClassifier() {}

    // queries: (nq,d), bank: (nb,d) with labels in [0, classes) -> predicted class per query
    public static int[] predict(float[] queries, int nq, float[] bank, int nb, int[] bankLabels, int classes, int d, Config c) {
        Blocks.checkRows("knn", "queries", queries, nq, d);
        Blocks.checkRows("knn", "bank", bank, nb, d);
        if (bankLabels.length != nb) throw new IllegalArgumentException("knn: " + bankLabels.length + " labels for a bank of " + nb);
        for (int y : bankLabels) if (y < 0 || y >= classes) throw new IllegalArgumentException("knn: label " + y + " outside [0, " + classes + ")");
        int[] pred = new int[nq];
        float[] q = Blocks.normalized(queries, nq, d), b = Blocks.normalized(bank, nb, d);
        int k = Math.min(c.k(), nb);
        float inv = (float) (1.0 / c.sigma());
        ThreadLocal<TopK.Work> scratch = ThreadLocal.withInitial(() -> new TopK.Work(nb));   // overwritten per row: no effect on results
        Blocks.similarities(q, nq, b, nb, d, (s, off, i) -> {
            int[] idx = new int[k];
            int got = TopK.select(idx, 0, s, off, nb, k, -1, -1, scratch.get());
            double[] score = new double[classes];
            for (int t = 0; t < got; t++) score[bankLabels[idx[t]]] += c.weighted() ? StrictMath.exp(s[off + idx[t]] * inv) : 1.0;
            int best = 0;
            for (int y = 1; y < classes; y++) if (score[y] > score[best]) best = y;
            pred[i] = best;
        });
        return pred;
    }

    // Fraction of predictions equal to the labels.
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) throw new IllegalArgumentException("accuracy: " + predicted.length + " predictions for " + labels.length + " labels");
        int right = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) right++;
        return labels.length == 0 ? 0 : (double) right / labels.length;
    }
}
