package dev.tauon.metrics;

import dev.tauon.kernel.TopK;

// The hardness-aware property of docs/paper.md §2 for one similarity row and τ: relative penalties on
// the negatives r_j = e^{s_j/τ} / Σ_k e^{s_k/τ} (a Boltzmann distribution, Σ r = 1), their
// entropy H(r) (rises strictly with τ) and the share of the penalty on the k hardest negatives.
public record HardnessProfile(float[] r, double entropy, double topShare) {
    // row[off .. off+n) with positive column pos and self column (−1: none) -> the profile over the other columns
    public static HardnessProfile of(float[] row, int off, int n, int pos, int self, double tau, int topK) {
        if (!(tau > 0)) throw new IllegalArgumentException("hardness: temperature must be positive, got " + tau);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) if (j != pos && j != self) max = Math.max(max, row[off + j]);
        if (max == Double.NEGATIVE_INFINITY) throw new IllegalArgumentException("hardness: the row has no negatives");
        double[] e = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            if (j == pos || j == self) continue;
            e[j] = StrictMath.exp((row[off + j] - max) / tau);
            sum += e[j];
        }
        float[] r = new float[n];
        double h = 0;
        for (int j = 0; j < n; j++) {
            if (j == pos || j == self) continue;
            double rj = e[j] / sum;
            r[j] = (float) rj;
            if (rj > 0) h -= rj * StrictMath.log(rj);
        }
        int[] idx = new int[Math.max(0, Math.min(topK, n))];
        int got = TopK.select(idx, 0, row, off, n, topK, pos, self, new TopK.Work(n));
        double share = 0;
        for (int t = 0; t < got; t++) share += e[idx[t]] / sum;
        return new HardnessProfile(r, h, share);
    }
}
