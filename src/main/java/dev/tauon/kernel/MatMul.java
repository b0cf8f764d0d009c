package dev.tauon.kernel;

// A matrix product with Kernels.gemm's contract (row-major, C = alpha·op(A)·op(B) + beta·C),
// computed wherever its implementer decides: kernels that lower to products (Conv) take one so
// the layer above can send them elsewhere (backend.Backend is one) without kernel/ knowing it.
@FunctionalInterface
public interface MatMul {
    void gemm(float[] c, int cOff, int ldc,
              float[] a, int aOff, int lda, boolean transA,
              float[] b, int bOff, int ldb, boolean transB,
              int m, int n, int k, float alpha, float beta);

    // True when a product of this size would run on Tauon's CPU GEMM anyway (a size-judging
    // backend below its threshold): Conv then takes its CPU-only paths (ConvDirect) instead.
    default boolean onCpu(int m, int n, int k) { return false; }
}
