package dev.tauon.cli;

import dev.tauon.backend.Backend;
import dev.tauon.backend.Backends;
import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.Simd;
import dev.tauon.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

// `tauon bench gemm`: GFLOP/s of C = A·B for square n×n float matrices on the chosen backend
// (on the GPU the time includes the host↔device copies). --check instead compares the backend
// with the CPU GEMM for every transpose combination and prints the largest error.
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "GFLOP/s of Tauon's single-precision GEMM (C = A·B, n×n, row-major).")
final class BenchGemm implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() { return spec.commandLine().getOut(); }

    // --check passes when max|C - C_cpu| / max|C_cpu| is at most this (FP32; TF32 gets 1e-2)
    static final double CHECK_TOLERANCE = 1e-4, CHECK_TOLERANCE_TF32 = 1e-2;

    @Option(names = "--sizes", split = ",", paramLabel = "N", description = "matrix sizes (default: ${DEFAULT-VALUE})")
    int[] sizes = {256, 512, 1024, 2048};

    @Option(names = "--seconds", paramLabel = "S", description = "measuring time per size (default: ${DEFAULT-VALUE})")
    double seconds = 2.0;

    @Option(names = "--json", description = "one JSON object per size instead of a table line")
    boolean json;

    @Option(names = "--check", description = "compare with the CPU GEMM (all transposes, alpha, beta) instead of timing; "
            + "exit status 1 if an error exceeds the tolerance")
    boolean check;

    @Mixin ThreadsOption threads;
    @Mixin BackendOption backendOption;

    @Override public Integer call() {
        threads.apply();
        long largest = 0;
        for (int n : sizes) largest = Math.max(largest, Flags.range("--sizes", n, 1, 16384));
        Flags.positive("--seconds", seconds, 3600);
        // A, B, C (and two copies of C with --check), each n² floats
        Memory.require("bench gemm --sizes " + largest, 4 * 5 * largest * largest);
        try (Backends.Selection sel = backendOption.select()) {
            if (!json) out().printf("# backend %s%n# sgemm C = A·B, threads=%d, simd=%s%n",
                    sel.description(), Parallel.threads(), Simd.ENABLED ? Simd.SPECIES : "off");
            if (check) return check(sel.backend()) ? 0 : 1;
            for (int n : sizes) report(sel.backend(), n, measure(sel.backend(), n));
            return 0;
        }
    }

    // Median seconds per product over repetitions filling `seconds`, after a warm-up of the same length.
    private double measure(Backend backend, int n) {
        Rng rng = Rng.seeded(n);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        rng.split(1).fillUniform(a, 0, a.length, -1, 1);
        rng.split(2).fillUniform(b, 0, b.length, -1, 1);
        long budget = (long) (seconds * 1e9);
        for (long t0 = System.nanoTime(); System.nanoTime() - t0 < budget; ) multiply(backend, a, b, c, n);
        double[] times = new double[4096];
        int reps = 0;
        for (long t0 = System.nanoTime(); reps < 3 || (System.nanoTime() - t0 < budget && reps < times.length); reps++) {
            long s = System.nanoTime();
            multiply(backend, a, b, c, n);
            times[reps] = (System.nanoTime() - s) * 1e-9;
        }
        double[] t = Arrays.copyOf(times, reps);
        Arrays.sort(t);
        return t[reps / 2];
    }

    private static void multiply(Backend backend, float[] a, float[] b, float[] c, int n) {
        backend.gemm(c, 0, n, a, 0, n, false, b, 0, n, false, n, n, n, 1f, 0f);
    }

    private void report(Backend backend, int n, double secs) {
        double gflops = 2.0 * n * n * n / secs * 1e-9;
        if (json) {
            Map<String, Object> o = Json.object(
                    "bench", "gemm",
                    "backend", backend.name(),
                    "n", n,
                    "threads", Parallel.threads(),
                    "simd", Simd.ENABLED ? Simd.SPECIES : "off",
                    "gflops", Math.round(gflops * 10) / 10.0,
                    "ms", Math.round(secs * 1e6) / 1e3);
            out().println(Json.line(o));
        } else {
            out().printf("n=%-5d %-5s threads=%d  %8.1f GFLOP/s  %10.3f ms%n", n, backend.name(), Parallel.threads(), gflops, secs * 1e3);
        }
        out().flush();
    }

    // C (n,n) = 0.5·op(A)·op(B) + 0.25·C for the four transpose combinations, against the CPU.
    private boolean check(Backend backend) {
        double tol = Boolean.getBoolean(Backends.TF32_PROPERTY) ? CHECK_TOLERANCE_TF32 : CHECK_TOLERANCE;
        boolean ok = true;
        for (int n : sizes) {
            Rng rng = Rng.seeded(n);
            float[] a = new float[n * n], b = new float[n * n], c0 = new float[n * n];
            rng.split(1).fillUniform(a, 0, a.length, -1, 1);
            rng.split(2).fillUniform(b, 0, b.length, -1, 1);
            rng.split(3).fillUniform(c0, 0, c0.length, -1, 1);
            for (int t = 0; t < 4; t++) {
                boolean tA = (t & 1) != 0, tB = (t & 2) != 0;
                float[] want = c0.clone(), got = c0.clone();
                Kernels.gemm(want, 0, n, a, 0, n, tA, b, 0, n, tB, n, n, n, 0.5f, 0.25f);
                backend.gemm(got, 0, n, a, 0, n, tA, b, 0, n, tB, n, n, n, 0.5f, 0.25f);
                double maxDiff = 0, maxRef = 0;
                for (int i = 0; i < want.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs((double) got[i] - want[i]));
                    maxRef = Math.max(maxRef, Math.abs(want[i]));
                }
                double rel = maxRef == 0 ? maxDiff : maxDiff / maxRef;
                boolean pass = rel <= tol;   // also false for NaN
                ok &= pass;
                String op = (tA ? "Aᵀ" : "A") + "·" + (tB ? "Bᵀ" : "B");
                if (json) {
                    Map<String, Object> o = Json.object(
                            "check", "gemm",
                            "backend", backend.name(),
                            "n", n,
                            "op", op,
                            "maxRelErr", rel,
                            "ok", pass);
                    out().println(Json.line(o));
                } else {
                    out().printf("n=%-5d %-5s %-5s max|C-Ccpu|/max|Ccpu| = %.3e  %s%n", n, backend.name(), op, rel,
                            pass ? "ok" : "FAIL (tolerance " + tol + ")");
                }
                out().flush();
            }
        }
        return ok;
    }
}
