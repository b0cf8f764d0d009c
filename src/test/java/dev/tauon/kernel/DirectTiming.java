package dev.tauon.kernel;

import dev.tauon.tensor.Rng;

import java.util.Arrays;

// Experiment: im2col + GEMM against an implicit GEMM on zero-padded planes (output rows Wp
// wide, the 2 extra columns discarded), one thread, forward only.
public final class DirectTiming {
    public static void main(String[] args) {
        int N = Integer.parseInt(args[0]), reps = Integer.parseInt(args[1]);
        int[][] layers = {{32, 32, 28}, {32, 64, 14}, {64, 64, 14}, {64, 128, 7}};
        for (int[] l : layers) {
            int C = l[0], K = l[1], H = l[2], W = H, CRS = C * 9, PQ = H * W, CHW = C * H * W;
            float[] x = new float[N * CHW], w = new float[K * CRS];
            Rng.seeded(1).fillUniform(x, 0, x.length, -1, 1);
            Rng.seeded(2).fillUniform(w, 0, w.length, -1, 1);
            float[] ya = new float[N * K * PQ], yb = new float[N * K * PQ];
            float[] col = new float[CRS * PQ];
            Runnable a = () -> {
                for (int n = 0; n < N; n++) {
                    Conv.im2col(col, 0, PQ, 1, x, n * CHW, 0, CRS, C, H, W, 3, 3, H, W, 1, 1);
                    Gemm.gemm(false, ya, n * K * PQ, PQ, w, 0, CRS, false, col, 0, PQ, false, K, PQ, CRS, 1f, 0f);
                }
            };
            int Wp = W + 2, Hp = H + 2, plane = Hp * Wp, nOut = H * Wp, MR = 12, NR = 32;
            int np0 = (K + MR - 1) / MR;
            if (K % MR == 8 || K % MR == 4) np0 = K / MR + 1;
            final int panels = np0;
            int[] rowStart = new int[panels + 1];
            for (int q = 0; q < panels; q++) rowStart[q + 1] = Math.min(K, rowStart[q] + MR);
            if (K % MR == 4) { rowStart[panels - 1] = K - 8; rowStart[panels] = K; rowStart[panels - 2] = K - 16; }
            float[] ap = new float[panels * MR * CRS];
            for (int q = 0; q < panels; q++)
                for (int r = 0; r < MR; r++)
                    for (int p = 0; p < CRS; p++)
                        ap[q * MR * CRS + p * MR + r] = rowStart[q] + r < rowStart[q + 1] ? w[(rowStart[q] + r) * CRS + p] : 0f;
            int[] off = new int[CRS];
            for (int c = 0; c < C; c++) for (int r = 0; r < 3; r++) for (int s = 0; s < 3; s++) off[c * 9 + r * 3 + s] = c * plane + r * Wp + s;
            float[] xp = new float[C * plane + 64], out = new float[K * nOut], tmp = new float[MR * NR];
            int full = nOut / NR * NR;
            Runnable b = () -> {
                for (int n = 0; n < N; n++) {
                    for (int c = 0; c < C; c++) for (int h = 0; h < H; h++)
                        System.arraycopy(x, n * CHW + (c * H + h) * W, xp, c * plane + (h + 1) * Wp + 1, W);
                    for (int jr = 0; jr < nOut; jr += NR) {
                        for (int q = 0; q < panels; q++) {
                            int rows = rowStart[q + 1] - rowStart[q];
                            boolean edge = jr >= full;
                            float[] cc = edge ? tmp : out;
                            int co = edge ? 0 : rowStart[q] * nOut + jr, ldc = edge ? NR : nOut;
                            if (rows == 8) VectorKernels.gemmMicro8Off(cc, co, ldc, ap, q * MR * CRS, xp, jr, off, 0, CRS, false);
                            else VectorKernels.gemmMicroOff(cc, co, ldc, ap, q * MR * CRS, xp, jr, off, 0, CRS, false);
                            if (edge) for (int r = 0; r < rows; r++) System.arraycopy(tmp, r * NR, out, (rowStart[q] + r) * nOut + jr, nOut - jr);
                        }
                    }
                    for (int k = 0; k < K; k++) for (int h = 0; h < H; h++)
                        System.arraycopy(out, k * nOut + h * Wp, yb, (n * K + k) * PQ + h * W, W);
                }
            };
            a.run(); b.run();
            if (!Arrays.equals(ya, yb)) {
                int i = 0; while (ya[i] == yb[i]) i++;
                System.out.println("DIFFER at " + i + ": " + ya[i] + " vs " + yb[i]);
            }
            double[] t = ConvTiming.time(reps, a, b);
            double gf = 2.0 * N * K * CRS * PQ * 1e-9;
            System.out.printf("%d->%d @%d: im2col+gemm %.1f ms (%.0f GF/s), direct %.1f ms (%.0f GF/s)%n", C, K, H, t[0], gf / t[0] * 1e3, t[1], gf / t[1] * 1e3);
        }
    }
}
