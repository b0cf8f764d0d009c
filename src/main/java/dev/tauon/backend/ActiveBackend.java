package dev.tauon.backend;

// The backend in use: where the differentiable ops, the metrics and the memory bank send their
// matrix products. The CPU unless a command selects another (Backends.select, --backend).
public final class ActiveBackend {
    private static volatile Backend backend = CpuBackend.INSTANCE;

    private ActiveBackend() {}

    public static Backend get() { return backend; }

    public static void use(Backend b) { backend = b; }

    // The backend for kernels that lower to products (convolution), or null for the CPU GEMM,
    // which those kernels call in their own thread-aware way.
    public static Backend offCpu() {
        Backend b = backend;
        return b instanceof CpuBackend ? null : b;
    }

    // C = alpha·op(A)·op(B) + beta·C on the backend in use, row-major with natural leading dimensions.
    public static void gemm(float[] c, float[] a, boolean transA, float[] b, boolean transB, int m, int n, int k, float alpha, float beta) {
        backend.gemm(c, 0, n, a, 0, transA ? m : k, transA, b, 0, transB ? k : n, transB, m, n, k, alpha, beta);
    }
}
