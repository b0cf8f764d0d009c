package dev.tauon.metrics;

import dev.tauon.backend.ActiveBackend;
import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;

// Uniformity (Wang & Isola), docs/paper.md §3: L_unif = log mean_{i≠j} exp(−t‖x_i − x_j‖²), t = 2;
// returns −L_unif (higher = more uniform; ≈ 3.94 is the ceiling in 128-d). Distances come from
// the Gram matrix (‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b) in row blocks, summed as a log-sum-exp per row.
public final class Uniformity {
    public static final double T = 2.0;

    private Uniformity() {}

    // x: (n,d), n >= 2 -> −L_unif
    public static double of(float[] x, int n, int d) { return of(x, n, d, T); }

    public static double of(float[] x, int n, int d, double t) {
        Blocks.checkRows("uniformity", "x", x, n, d);
        if (n < 2) throw new IllegalArgumentException("uniformity: needs at least 2 points, got " + n);
        float[] sq = new float[n], rowMax = new float[n], rowSum = new float[n];
        for (int i = 0; i < n; i++) sq[i] = Kernels.dot(x, i * d, x, i * d, d);
        float ft = (float) t;
        int block = Math.min(Blocks.ROWS, n);
        float[] g = new float[block * n];
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0), first = r0;
            ActiveBackend.get().gemm(g, 0, n, x, r0 * d, d, false, x, 0, d, true, rows, n, d, 1f, 0f);
            Parallel.forRange(rows, 1, (lo, hi) -> {       // v_ij = −t‖x_i − x_j‖² − max_j, row by row
                for (int r = lo; r < hi; r++) {
                    int i = first + r, off = r * n;
                    float m = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        float v = -ft * Math.max(sq[i] + sq[j] - 2f * g[off + j], 0f);
                        g[off + j] = v;
                        if (j != i) m = Math.max(m, v);
                    }
                    for (int j = 0; j < n; j++) g[off + j] -= m;
                    rowMax[i] = m;
                }
            });
            Kernels.exp(g, 0, g, 0, rows * n);
            for (int r = 0; r < rows; r++) {
                int i = first + r, off = r * n;
                rowSum[i] = Kernels.sum(g, off, i) + Kernels.sum(g, off + i + 1, n - i - 1);   // j ≠ i
            }
        }
        double top = Double.NEGATIVE_INFINITY, total = 0;
        for (int i = 0; i < n; i++) top = Math.max(top, rowMax[i]);
        for (int i = 0; i < n; i++) total += rowSum[i] * StrictMath.exp(rowMax[i] - top);
        double lUnif = top + StrictMath.log(total) - StrictMath.log((double) n * (n - 1));
        return -lUnif;
    }
}
