package dev.tauon.kernel;

import java.util.Arrays;
import java.util.Random;

// Not a test: one-thread time per call of Gemm over shapes m n k given as args "m,n,k ..." (alternated rounds, median µs).
// Run: mvn -f bench/pom.xml -q package; java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.tauon.kernel.GemmShapes 128,256,512
public final class GemmShapes {
    public static void main(String[] args) {
        int reps = 15, calls = 200;
        int[][] sh = Arrays.stream(args).map(a -> Arrays.stream(a.split(",")).mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new);
        float[] a = new float[1 << 20], b = new float[1 << 22], c = new float[1 << 22];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
        double[][] t = new double[sh.length][reps];
        for (int rep = 0; rep < reps + 2; rep++) for (int s = 0; s < sh.length; s++) {
            int m = sh[s][0], n = sh[s][1], k = sh[s][2];
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) Gemm.gemm(false, c, 0, n, a, 0, k, false, b, 0, n, false, m, n, k, 1f, 0f);
            if (rep >= 2) t[s][rep - 2] = (System.nanoTime() - t0) * 1e-3 / calls;
        }
        for (int s = 0; s < sh.length; s++) {
            Arrays.sort(t[s]);
            double us = t[s][reps / 2];
            System.out.printf("%5d %5d %5d  %7.1f us  %5.0f GF%n", sh[s][0], sh[s][1], sh[s][2], us, 2.0 * sh[s][0] * sh[s][1] * sh[s][2] / us * 1e-3);
        }
    }
}
