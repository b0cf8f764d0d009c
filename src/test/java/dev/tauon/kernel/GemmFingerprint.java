package dev.tauon.kernel;

import dev.tauon.tensor.Rng;

// GEMM over a fixed set of shapes (edges, several kc blocks, tall-skinny, deep, wide-and-flat,
// every transpose) from a fixed seed: one hash of the raw result bits, compared across thread
// counts, vector widths and the scalar twins (dev.tauon.DeterminismTest).
public final class GemmFingerprint {
    // m, n, k, transA, transB: edges, several kc blocks, tall-skinny, deep, wide-and-flat
    static final int[][] SHAPES = {
            {1, 1, 1, 0, 0}, {17, 31, 33, 1, 0}, {257, 129, 300, 0, 1}, {300, 200, 600, 1, 1},
            {64, 64, 2048, 0, 0}, {2048, 64, 64, 1, 0}, {5, 1000, 513, 0, 1}, {129, 65, 1000, 0, 0}};

    public static java.util.List<String> lines() { return java.util.List.of("gemm " + Long.toHexString(hash())); }

    static long hash() {
        long h = 0xcbf29ce484222325L;
        Rng rng = Rng.seeded(2024);
        for (int s = 0; s < SHAPES.length; s++) {
            int m = SHAPES[s][0], n = SHAPES[s][1], k = SHAPES[s][2];
            float alpha = s % 2 == 0 ? 1f : -0.5f, beta = s % 3 == 0 ? 0f : 2f;
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            rng.split(3L * s).fillNormal(a, 0, a.length, 0, 1);
            rng.split(3L * s + 1).fillNormal(b, 0, b.length, 0, 1);
            rng.split(3L * s + 2).fillNormal(c, 0, c.length, 0, 1);
            boolean ta = SHAPES[s][3] == 1, tb = SHAPES[s][4] == 1;
            Kernels.gemm(c, 0, n, a, 0, ta ? m : k, ta, b, 0, tb ? k : n, tb, m, n, k, alpha, beta);
            for (float x : c) h = (h ^ Float.floatToRawIntBits(x)) * 0x100000001b3L;
        }
        return h;
    }
}
