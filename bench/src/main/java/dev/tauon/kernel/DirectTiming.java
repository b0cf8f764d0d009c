package dev.tauon.kernel;

// Not a test: Conv with ConvDirect against Conv's im2col paths (ConvDirect.enabled = false),
// alternately in one run, per layer and pass; median ms of reps at the pool's thread count.
// Run: mvn -f bench/pom.xml -q package; java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.tauon.kernel.DirectTiming [N] [reps] [threads]
public final class DirectTiming {
    public static void main(String[] args) {
        int N = args.length > 0 ? Integer.parseInt(args[0]) : 512, reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        if (args.length > 2) Parallel.setThreads(Integer.parseInt(args[2]));
        int[][] layers = {{1, 32, 28}, {32, 32, 28}, {32, 64, 14}, {64, 64, 14}, {64, 128, 7}};
        System.out.printf("# conv, N=%d, threads=%d, median of %d (ms), im2col/direct%n", N, Parallel.threads(), reps);
        System.out.printf("%-16s %15s %15s %15s%n", "layer", "forward", "bwdData", "bwdWeight");
        for (int[] l : layers) {
            int C = l[0], K = l[1], H = l[2], W = H;
            float[][] in = ConvTiming.inputs(N, C, K, H);
            float[] x = in[0], w = in[1], dy = in[2];
            float[] y = new float[dy.length], dx = new float[x.length], dw = new float[w.length];
            Runnable[] ops = {() -> Conv.forward(y, x, w, N, C, H, W, K, 3, 3, 1, 1),
                    () -> Conv.backwardData(dx, dy, w, N, C, H, W, K, 3, 3, 1, 1),
                    () -> Conv.backwardWeight(dw, x, dy, N, C, H, W, K, 3, 3, 1, 1)};
            StringBuilder line = new StringBuilder("%-16s".formatted(C + "->" + K + " @" + H + "x" + W));
            for (Runnable op : ops) {
                double[] t = ConvTiming.time(reps, () -> { ConvDirect.enabled = false; op.run(); }, () -> { ConvDirect.enabled = true; op.run(); });
                line.append(" %7.1f/%-7.1f".formatted(t[0], t[1]));
            }
            System.out.println(line);
        }
        ConvDirect.enabled = true;
    }
}
