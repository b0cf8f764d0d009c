package dev.tauon.metrics;

import dev.tauon.kernel.TopK;

import java.util.Arrays;

// Similarity ranks, docs/paper.md §3 (the paper's box plots "pos, n1..n10"): per anchor, the positive
// similarity s_ip and its `count` largest negative similarities, largest first.
public record SimilarityRanks(float[] pos, float[][] negatives) {
    // One box of the plot: quantiles of a column (pos, n1, n2, ...) over anchors.
    public record Box(String name, double min, double q1, double median, double q3, double max, double mean) {}

    // anchors: (na,d), bank: (nb,d), pos: (na) bank column of each positive, self: (na) or null -> ranks
    public static SimilarityRanks of(float[] anchors, int na, float[] bank, int nb, int d, int[] pos, int[] self, int count) {
        Blocks.checkRows("ranks", "anchors", anchors, na, d);
        Blocks.checkRows("ranks", "bank", bank, nb, d);
        if (pos.length != na || (self != null && self.length != na)) throw new IllegalArgumentException("ranks: " + pos.length + " positives for " + na + " anchors");
        float[] p = new float[na];
        float[][] neg = new float[na][];
        Blocks.similarities(anchors, na, bank, nb, d, (s, off, i) -> {
            p[i] = s[off + pos[i]];
            neg[i] = largest(s, off, nb, count, pos[i], self == null ? -1 : self[i]);
        });
        return new SimilarityRanks(p, neg);
    }

    // The k largest of row[off .. off+n) other than columns a and b, largest first (ties: lower column first).
    static float[] largest(float[] row, int off, int n, int k, int a, int b) {
        int[] idx = new int[Math.max(0, Math.min(k, n))];
        int got = TopK.select(idx, 0, row, off, n, k, a, b, new TopK.Work(n));
        Integer[] order = new Integer[got];
        for (int t = 0; t < got; t++) order[t] = idx[t];
        Arrays.sort(order, (x, y) -> row[off + x] != row[off + y] ? Float.compare(row[off + y], row[off + x]) : Integer.compare(x, y));
        float[] v = new float[got];
        for (int t = 0; t < got; t++) v[t] = row[off + order[t]];
        return v;
    }

    // Boxes for pos, n1 .. n_count (linear-interpolated quantiles, as numpy's default).
    public Box[] boxes() {
        int count = negatives.length == 0 ? 0 : negatives[0].length;
        Box[] out = new Box[count + 1];
        out[0] = box("pos", pos.clone());
        for (int c = 0; c < count; c++) {
            float[] col = new float[negatives.length];
            for (int i = 0; i < negatives.length; i++) col[i] = negatives[i][c];
            out[c + 1] = box("n" + (c + 1), col);
        }
        return out;
    }

    static Box box(String name, float[] v) {
        Arrays.sort(v);
        double mean = 0;
        for (float x : v) mean += x;
        return new Box(name, v[0], quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75), v[v.length - 1], mean / v.length);
    }

    static double quantile(float[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
