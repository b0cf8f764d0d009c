package dev.tauon.backend;

import dev.tauon.backend.cuda.CublasBackend;
import dev.tauon.backend.cuda.Cuda;

// Picks where matrix products run: cpu, cuda, or auto (the GPU for products large enough to
// repay the host↔device copies, the CPU for the rest and whenever no GPU answers). The choice
// and its reason fit on one line, which commands show the user.
public final class Backends {
    // auto sends a product to the GPU when m·n·k >= this: 2^27 = 512³ (0.27 GFLOP). A
    // conservative guess, NOT a measurement: it must be measured on a GPU machine (docs/gpu.md)
    // and may be overridden with -Dtauon.cuda.autoMinMnk=N meanwhile.
    public static final long AUTO_GPU_MIN_MNK = 1L << 27;
    public static final String MIN_MNK_PROPERTY = "tauon.cuda.autoMinMnk";
    public static final String TF32_PROPERTY = "tauon.cuda.tf32";
    public static final String NOT_BIT_IDENTICAL = "GPU results are not bit-identical to the CPU's";

    public enum Choice { AUTO, CPU, CUDA }

    public record Selection(Backend backend, String description) implements AutoCloseable {
        @Override public void close() { backend.close(); }
    }

    // --backend cuda where there is no usable GPU; the message says why.
    public static final class NoGpu extends RuntimeException {
        NoGpu(String reason) { super("no usable GPU: " + reason); }
    }

    private Backends() {}

    public static Selection select(Choice choice) {
        return select(choice, choice == Choice.CPU ? null : Cuda.status());
    }

    // gpu: what Cuda.status() or Cuda.probe(dir) found (unused for CPU).
    public static Selection select(Choice choice, Cuda.Status gpu) {
        boolean tf32 = Boolean.getBoolean(TF32_PROPERTY);
        String math = tf32 ? " [TF32 tensor-op math]" : "";
        return switch (choice) {
            case CPU -> new Selection(CpuBackend.INSTANCE, "cpu (bitwise reproducible)");
            case CUDA -> switch (gpu) {
                case Cuda.Available a -> new Selection(new CublasBackend(a, tf32),
                        "cuda: " + a.info().describe() + math + "; " + NOT_BIT_IDENTICAL);
                case Cuda.Unavailable u -> throw new NoGpu(u.reason());
            };
            case AUTO -> switch (gpu) {
                case Cuda.Available a -> {
                    long min = Long.getLong(MIN_MNK_PROPERTY, AUTO_GPU_MIN_MNK);
                    yield new Selection(new Auto(new CublasBackend(a, tf32), min),
                            "auto: cuda when m·n·k >= " + min + ", cpu below; GPU " + a.info().describe() + math
                                    + "; " + NOT_BIT_IDENTICAL);
                }
                case Cuda.Unavailable u -> new Selection(CpuBackend.INSTANCE, "auto: cpu (no GPU: " + u.reason() + ")");
            };
        };
    }

    // Large products to the GPU, the rest to the CPU.
    record Auto(Backend gpu, long minMnk) implements Backend {
        @Override public String name() { return "auto"; }

        @Override public boolean deterministic() { return false; }

        @Override public void gemm(float[] c, int cOff, int ldc,
                                   float[] a, int aOff, int lda, boolean transA,
                                   float[] b, int bOff, int ldb, boolean transB,
                                   int m, int n, int k, float alpha, float beta) {
            Backend target = onCpu(m, n, k) ? CpuBackend.INSTANCE : gpu;
            target.gemm(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
        }

        @Override public boolean onCpu(int m, int n, int k) { return (double) m * n * k < minMnk; }

        @Override public void close() { gpu.close(); }
    }
}
