package dev.tauon.backend;

import dev.tauon.kernel.Kernels;

// The CPU: Tauon's own packed GEMM, bitwise reproducible.
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override public String name() { return "cpu"; }

    @Override public boolean deterministic() { return true; }

    @Override public void gemm(float[] c, int cOff, int ldc,
                               float[] a, int aOff, int lda, boolean transA,
                               float[] b, int bOff, int ldb, boolean transB,
                               int m, int n, int k, float alpha, float beta) {
        Kernels.gemm(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
    }
}
