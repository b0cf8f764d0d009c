package dev.tauon.kernel;

import dev.tauon.tensor.Rng;

// Not a test: a timing loop for the conv layers of the small MNIST network (batch 512, 3×3,
// pad 1, stride 1). Prints the median ms of forward, backwardData and backwardWeight per layer,
// and of the im2col passes alone (all N samples, one thread): the most a direct kernel could save.
// Run: java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.tauon.kernel.ConvTiming [N] [reps]
public final class ConvTiming {
    public static void main(String[] args) {
        int N = args.length > 0 ? Integer.parseInt(args[0]) : 512, reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[][] layers = {{1, 32, 28}, {32, 32, 28}, {32, 64, 14}, {64, 64, 14}, {64, 128, 7}};
        System.out.printf("# conv timings, N=%d, threads=%d, simd=%s, median of %d (ms)%n", N, Parallel.threads(), Simd.REASON, reps);
        System.out.printf("%-16s %9s %9s %9s %9s %9s%n", "layer", "forward", "bwdData", "bwdWeight", "im2col1T", "GFLOP/op");
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
            double flop = 2.0 * N * K * C * R * S * H * W;
            System.out.printf("%-16s %9.1f %9.1f %9.1f %9.1f %9.2f%n", C + "->" + K + " @" + H + "x" + W, f, d, g, c, flop * 1e-9);
        }
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
