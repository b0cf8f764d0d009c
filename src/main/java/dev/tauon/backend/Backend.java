package dev.tauon.backend;

import dev.tauon.kernel.MatMul;

// Where a matrix product runs. Everything above kernel/ that multiplies matrices goes through
// a Backend, so the GPU can take the large products; everything else stays on the CPU.
public interface Backend extends MatMul, AutoCloseable {
    String name();

    // C = alpha·op(A)·op(B) + beta·C, row-major; same contract as kernel.Kernels.gemm.
    @Override void gemm(float[] c, int cOff, int ldc,
              float[] a, int aOff, int lda, boolean transA,
              float[] b, int bOff, int ldb, boolean transB,
              int m, int n, int k, float alpha, float beta);

    // True when results are bit-reproducible across runs, threads and SIMD widths.
    boolean deterministic();

    @Override default void close() {}
}
