package dev.tauon.metrics;

import dev.tauon.backend.ActiveBackend;
import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;
import dev.tauon.ops.L2Normalize;

// Similarities Q·Bᵀ in blocks of query rows, so a 10,000 × 60,000 product never sits in memory
// at once. Each block is one GEMM; the body then works on its rows in parallel, one row each.
final class Blocks {
    static final int ROWS = 256;            // query rows per GEMM block (fixed: results never depend on it)

    private Blocks() {}

    interface RowBody { void row(float[] s, int sOff, int query); }

    // q: (nq,d), b: (nb,d) -> body(s, off, i) for every query i, s[off .. off+nb) = q_i·Bᵀ
    static void similarities(float[] q, int nq, float[] b, int nb, int d, RowBody body) {
        if (nq == 0 || nb == 0) return;
        float[] s = new float[Math.min(ROWS, nq) * nb];
        for (int r0 = 0; r0 < nq; r0 += ROWS) {
            int rows = Math.min(ROWS, nq - r0), first = r0;
            ActiveBackend.get().gemm(s, 0, nb, q, r0 * d, d, false, b, 0, d, true, rows, nb, d, 1f, 0f);
            Parallel.forRange(rows, 1, (lo, hi) -> {
                for (int r = lo; r < hi; r++) body.row(s, r * nb, first + r);
            });
        }
    }

    // Unit-norm copy of the rows of x: (n,d), as ops.L2Normalize computes it (zero rows stay zero).
    static float[] normalized(float[] x, int n, int d) {
        float[] y = new float[n * d];
        Parallel.forRange(n, 256, (lo, hi) -> {
            Kernels.normalizeRows(y, null, x, lo * d, hi - lo, d, L2Normalize.EPS);
        });
        return y;
    }

    static void checkRows(String metric, String what, float[] x, int n, int d) {
        if (n < 0 || d < 1 || x.length != (long) n * d) {
            throw new IllegalArgumentException(metric + ": " + what + " has " + x.length + " values, expected " + n + "×" + d);
        }
    }
}
