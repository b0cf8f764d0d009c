package dev.tauon.cli;

import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.Simd;
import dev.tauon.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

// `tauon bench gemm`: GFLOP/s of C = A·B for square n×n float matrices.
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "GFLOP/s of Tauon's single-precision GEMM (C = A·B, n×n, row-major).")
final class BenchGemm implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() { return spec.commandLine().getOut(); }

    @Option(names = "--sizes", split = ",", paramLabel = "N", description = "matrix sizes (default: ${DEFAULT-VALUE})")
    int[] sizes = {256, 512, 1024, 2048};

    @Option(names = "--seconds", paramLabel = "S", description = "measuring time per size (default: ${DEFAULT-VALUE})")
    double seconds = 2.0;

    @Option(names = "--json", description = "one JSON object per size instead of a table line")
    boolean json;

    @Mixin ThreadsOption threads;

    @Override public void run() {
        threads.apply();
        for (int n : sizes) {
            if (n < 1 || n > 16384) throw new UserError("--sizes: each size must be in 1..16384, got " + n);
        }
        if (!(seconds > 0)) throw new UserError("--seconds must be positive, got " + seconds);
        if (!json) out().printf("# sgemm C = A·B, threads=%d, simd=%s%n", Parallel.threads(), Simd.ENABLED ? Simd.SPECIES : "off");
        for (int n : sizes) report(n, measure(n));
    }

    // Median seconds per product over repetitions filling `seconds`, after a warm-up of the same length.
    private double measure(int n) {
        Rng rng = Rng.seeded(n);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        rng.split(1).fillUniform(a, 0, a.length, -1, 1);
        rng.split(2).fillUniform(b, 0, b.length, -1, 1);
        long budget = (long) (seconds * 1e9);
        for (long t0 = System.nanoTime(); System.nanoTime() - t0 < budget; ) multiply(a, b, c, n);
        double[] times = new double[4096];
        int reps = 0;
        for (long t0 = System.nanoTime(); reps < 3 || (System.nanoTime() - t0 < budget && reps < times.length); reps++) {
            long s = System.nanoTime();
            multiply(a, b, c, n);
            times[reps] = (System.nanoTime() - s) * 1e-9;
        }
        double[] t = Arrays.copyOf(times, reps);
        Arrays.sort(t);
        return t[reps / 2];
    }

    private static void multiply(float[] a, float[] b, float[] c, int n) {
        Kernels.gemm(c, 0, n, a, 0, n, false, b, 0, n, false, n, n, n, 1f, 0f);
    }

    private void report(int n, double secs) {
        double gflops = 2.0 * n * n * n / secs * 1e-9;
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("bench", "gemm");
            o.put("n", n);
            o.put("threads", Parallel.threads());
            o.put("simd", Simd.ENABLED ? Simd.SPECIES : "off");
            o.put("gflops", Math.round(gflops * 10) / 10.0);
            o.put("ms", Math.round(secs * 1e6) / 1e3);
            out().println(Json.line(o));
        } else {
            out().printf("n=%-5d threads=%d  %8.1f GFLOP/s  %10.3f ms%n", n, Parallel.threads(), gflops, secs * 1e3);
        }
        out().flush();
    }
}
