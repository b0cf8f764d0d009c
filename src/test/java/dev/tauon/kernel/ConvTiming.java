package dev.tauon.kernel;

import dev.tauon.tensor.Rng;

// Not a test: a timing loop for the conv layers of the small MNIST network (batch 512, 3×3,
// pad 1, stride 1). Prints the median ms of forward, backwardData and backwardWeight per layer,
// of the im2col passes alone (all N samples, one thread), and of directForward, a plain direct
// kernel kept here as the measured alternative (same bits: the same fma chain over (c,r,s)).
// Run: java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.tauon.kernel.ConvTiming [N] [reps]
public final class ConvTiming {
    public static void main(String[] args) {
        int N = args.length > 0 ? Integer.parseInt(args[0]) : 512, reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[][] layers = {{1, 32, 28}, {32, 32, 28}, {32, 64, 14}, {64, 64, 14}, {64, 128, 7}};
        System.out.printf("# conv timings, N=%d, threads=%d, simd=%s, median of %d (ms)%n", N, Parallel.threads(), Simd.REASON, reps);
        System.out.printf("%-16s %9s %9s %9s %9s %9s %9s%n", "layer", "forward", "bwdData", "bwdWeight", "im2col1T", "direct", "GFLOP/op");
        for (int[] l : layers) {
            int C = l[0], K = l[1], H = l[2], W = H, R = 3, S = 3;
            float[] x = new float[N * C * H * W], w = new float[K * C * R * S], y = new float[N * K * H * W];
            float[] dx = new float[x.length], dw = new float[w.length], dy = new float[y.length];
            Rng.seeded(1).fillUniform(x, 0, x.length, -1, 1);
            Rng.seeded(2).fillUniform(w, 0, w.length, -1, 1);
            Rng.seeded(3).fillUniform(dy, 0, dy.length, -1, 1);
            double f = time(reps, () -> Conv.forward(y, x, w, N, C, H, W, K, R, S, 1, 1));
            double d = time(reps, () -> Conv.backwardData(dx, dy, w, N, C, H, W, K, R, S, 1, 1));
            double g = time(reps, () -> Conv.backwardWeight(dw, x, dy, N, C, H, W, K, R, S, 1, 1));
            float[] col = new float[C * R * S * H * W];
            double c = time(reps, () -> {
                for (int n = 0; n < N; n++) Conv.im2col(col, 0, H * W, 1, x, n * C * H * W, 0, C * R * S, C, H, W, R, S, H, W, 1, 1);
            });
            float[] yd = new float[y.length];
            double dir = time(reps, () -> directForward(yd, x, w, N, C, H, W, K, R, S, 1));
            Conv.forward(y, x, w, N, C, H, W, K, R, S, 1, 1);
            if (!java.util.Arrays.equals(y, yd)) throw new AssertionError("direct and im2col forward differ");
            double flop = 2.0 * N * K * C * R * S * H * W;
            System.out.printf("%-16s %9.1f %9.1f %9.1f %9.1f %9.1f %9.2f%n", C + "->" + K + " @" + H + "x" + W, f, d, g, c, dir, flop * 1e-9);
        }
    }

    // stride 1 only; y[n,k] rows accumulate w[k,c,r,s]·(shifted x row) in (c,r,s) order, as fma
    // over contiguous rows that C2 vectorises; padded taps are skipped (fma(w, 0, acc) = acc here)
    static void directForward(float[] y, float[] x, float[] w, int N, int C, int H, int W, int K, int R, int S, int pad) {
        int P = H + 2 * pad - R + 1, Q = W + 2 * pad - S + 1;
        Parallel.forRange(N, Conv.SAMPLES, (lo, hi) -> {
            for (int n = lo; n < hi; n++) for (int k = 0; k < K; k++) {
                int yo = (n * K + k) * P * Q;
                java.util.Arrays.fill(y, yo, yo + P * Q, 0f);
                for (int c = 0; c < C; c++) for (int r = 0; r < R; r++) for (int s = 0; s < S; s++) {
                    float wv = w[((k * C + c) * R + r) * S + s];
                    int qLo = Math.max(0, pad - s), qHi = Math.min(Q, W + pad - s);
                    for (int p = 0; p < P; p++) {
                        int h = p + r - pad;
                        if (h < 0 || h >= H) continue;
                        int xo = ((n * C + c) * H + h) * W + s - pad, yp = yo + p * Q;
                        for (int q = qLo; q < qHi; q++) y[yp + q] = Math.fma(wv, x[xo + q], y[yp + q]);
                    }
                }
            }
        });
    }

    static double time(int reps, Runnable op) {
        op.run();                                  // warm-up
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            op.run();
            t[i] = (System.nanoTime() - s) * 1e-6;
        }
        java.util.Arrays.sort(t);
        return t[reps / 2];
    }
}
