package dev.tauon.kernel;

import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// Kernels.gemmSparseA against its scalar twin and against the dense GEMM (alpha = beta = 1), bit
// for bit: the same numbers whenever B is finite and C holds no −0.
class SparseGemmTest {
    // A (m,k) with about `density` of its entries nonzero (some −0, which count as nonzero), at row stride k + 3
    static float[] sparse(long seed, int m, int k, double density) {
        Rng rng = Rng.seeded(seed);
        float[] a = new float[m * (k + 3) + 2];
        for (int i = 0; i < a.length; i++) {
            if (rng.uniform(i) < density) a[i] = rng.uniform(i + 1_000_000) < 0.05 ? -0f : rng.normal(i) * 0.01f;
        }
        return a;
    }

    static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Float.floatToRawIntBits(x[i]);
        return b;
    }

    @Test void matchesTwinAndDenseGemmOnAwkwardShapes() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {2, 17, 300}, {65, 33, 257}, {70, 128, 1000}, {130, 129, 600}, {5, 16, 4098}, {0, 4, 5}, {4, 0, 5}, {4, 5, 0}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2], lda = k + 3, ldb = n + 1, ldc = n + 2;
            for (double density : new double[] {0, 0.08, 0.6, 1}) {
                float[] a = sparse(m * 31L + n + k, m, k, density);
                float[] b = new float[k * ldb + 1];
                Rng.seeded(k).fillUniform(b, 0, b.length, -1, 1);
                float[] c0 = new float[m * ldc + 1];
                Rng.seeded(n).fillUniform(c0, 0, c0.length, -1, 1);
                if (c0.length > 3) c0[2] = 0f;                                        // +0 in C is fine
                float[] want = c0.clone(), got = c0.clone(), dense = c0.clone();
                ScalarGemm.gemmSparseA(want, 1, ldc, a, 2, lda, b, 1, ldb, m, n, k);
                Kernels.gemmSparseA(got, 1, ldc, a, 2, lda, b, 1, ldb, m, n, k);
                String what = "m=" + m + " n=" + n + " k=" + k + " density=" + density;
                assertArrayEquals(bits(want), bits(got), what + " (twin)");
                ScalarGemm.gemm(dense, 1, ldc, a, 2, lda, false, b, 1, ldb, false, m, n, k, 1f, 1f);
                assertArrayEquals(bits(dense), bits(got), what + " (dense gemm)");
            }
        }
    }

    @Test void handComputed() {
        // [0 2 0; 1 0 0] · [1 2; 3 4; 5 6] + [1 1; 1 1] = [7 9; 2 3]
        float[] c = {1, 1, 1, 1};
        ScalarGemm.gemmSparseA(c, 0, 2, new float[] {0, 2, 0, 1, 0, 0}, 0, 3, new float[] {1, 2, 3, 4, 5, 6}, 0, 2, 2, 2, 3);
        assertArrayEquals(new float[] {7, 9, 2, 3}, c);
    }

    @Test void sameBitsForAnyThreadCount() {
        int before = Parallel.threads();
        try {
            int m = 200, n = 64, k = 3000;
            float[] a = sparse(3, m, k, 0.1), b = new float[k * (n + 1) + 1];
            Rng.seeded(4).fillUniform(b, 0, b.length, -1, 1);
            Parallel.setThreads(1);
            float[] ref = new float[m * (n + 2) + 1];
            Kernels.gemmSparseA(ref, 1, n + 2, a, 2, k + 3, b, 1, n + 1, m, n, k);
            for (int threads : new int[] {2, 3, 8}) {
                Parallel.setThreads(threads);
                float[] c = new float[ref.length];
                Kernels.gemmSparseA(c, 1, n + 2, a, 2, k + 3, b, 1, n + 1, m, n, k);
                assertArrayEquals(bits(ref), bits(c), threads + " threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
