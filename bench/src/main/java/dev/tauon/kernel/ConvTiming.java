package dev.tauon.kernel;

import dev.tauon.tensor.Rng;

import java.util.Arrays;

// Not a test: a timing loop for the conv layers of the small MNIST network (batch 512, 3×3,
// pad 1, stride 1). Prints the median ms of forward, backwardData and backwardWeight per layer,
// for Conv and for the per-sample ConvReference it replaced, timed alternately in one run, and
// checks that both give the same bits.
// Run: mvn -f bench/pom.xml -q package; java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.tauon.kernel.ConvTiming [N] [reps]
public final class ConvTiming {
    interface Op { void run(float[] out, float[] x, float[] w, float[] dy, int N, int C, int H, int W, int K); }

    public static void main(String[] args) {
        int N = args.length > 0 ? Integer.parseInt(args[0]) : 512, reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[][] layers = {{1, 32, 28}, {32, 32, 28}, {32, 64, 14}, {64, 64, 14}, {64, 128, 7}};
        Op[] ref = {(y, x, w, dy, n, c, h, ww, k) -> ConvReference.forward(y, x, w, n, c, h, ww, k, 3, 3, 1, 1),
                (dx, x, w, dy, n, c, h, ww, k) -> ConvReference.backwardData(dx, dy, w, n, c, h, ww, k, 3, 3, 1, 1),
                (dw, x, w, dy, n, c, h, ww, k) -> ConvReference.backwardWeight(dw, x, dy, n, c, h, ww, k, 3, 3, 1, 1)};
        Op[] now = {(y, x, w, dy, n, c, h, ww, k) -> Conv.forward(y, x, w, n, c, h, ww, k, 3, 3, 1, 1),
                (dx, x, w, dy, n, c, h, ww, k) -> Conv.backwardData(dx, dy, w, n, c, h, ww, k, 3, 3, 1, 1),
                (dw, x, w, dy, n, c, h, ww, k) -> Conv.backwardWeight(dw, x, dy, n, c, h, ww, k, 3, 3, 1, 1)};
        System.out.printf("# conv timings, N=%d, threads=%d, simd=%s, median of %d (ms), reference/now%n", N, Parallel.threads(), Simd.REASON, reps);
        System.out.printf("%-16s %15s %15s %15s %9s%n", "layer", "forward", "bwdData", "bwdWeight", "GFLOP/op");
        double[] total = new double[6];
        for (int[] l : layers) {
            int C = l[0], K = l[1], H = l[2], W = H;
            float[][] in = inputs(N, C, K, H);
            float[] x = in[0], w = in[1], dy = in[2];
            StringBuilder line = new StringBuilder("%-16s".formatted(C + "->" + K + " @" + H + "x" + W));
            for (int i = 0; i < 3; i++) {
                int op = i, len = op == 0 ? dy.length : op == 1 ? x.length : w.length;
                float[] a = new float[len], b = new float[len];
                ref[op].run(a, x, w, dy, N, C, H, W, K);
                now[op].run(b, x, w, dy, N, C, H, W, K);
                // where ConvDirect applies, backwardData's chains are ordered differently (ConvReferenceTest checks them)
                boolean sameOrder = op != 1 || !ConvDirect.appliesBackward(H, W, 3, 3, 1, 1, C);
                if (sameOrder && !Arrays.equals(a, b)) throw new AssertionError("Conv and ConvReference differ, op " + op + ", layer " + line);
                double[] t = time(reps, () -> ref[op].run(a, x, w, dy, N, C, H, W, K), () -> now[op].run(b, x, w, dy, N, C, H, W, K));
                total[2 * op] += t[0];
                total[2 * op + 1] += t[1];
                line.append(" %7.1f/%-7.1f".formatted(t[0], t[1]));
            }
            System.out.println(line + " %9.2f".formatted(2.0 * N * K * C * 9 * H * W * 1e-9));
        }
        System.out.printf("%-16s %7.1f/%-7.1f %7.1f/%-7.1f %7.1f/%-7.1f%n", "total", total[0], total[1], total[2], total[3], total[4], total[5]);
    }

    // x: (N,C,H,H), w: (K,C,3,3), dy: (N,K,H,H), uniform in [-1, 1] from fixed seeds
    static float[][] inputs(int N, int C, int K, int H) {
        float[] x = new float[N * C * H * H], w = new float[K * C * 9], dy = new float[N * K * H * H];
        Rng.seeded(1).fillUniform(x, 0, x.length, -1, 1);
        Rng.seeded(2).fillUniform(w, 0, w.length, -1, 1);
        Rng.seeded(3).fillUniform(dy, 0, dy.length, -1, 1);
        return new float[][] {x, w, dy};
    }

    // medians of two ops run alternately, so both see the same machine load
    static double[] time(int reps, Runnable a, Runnable b) {
        double[] ta = new double[reps], tb = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            a.run();
            ta[i] = (System.nanoTime() - s) * 1e-6;
            s = System.nanoTime();
            b.run();
            tb[i] = (System.nanoTime() - s) * 1e-6;
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        return new double[] {ta[reps / 2], tb[reps / 2]};
    }
}
