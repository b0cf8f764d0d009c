package dev.tauon.kernel;

// GEMM driver: C = alpha·op(A)·op(B) + beta·C, row-major, canonical order as in
// ScalarKernels.gemm. (First cut: rows of C split over the pool, scalar twin per block;
// the packed, cache-blocked Vector API path replaces this.)
public final class Gemm {
    private Gemm() {}

    public static void gemm(float[] c, int cOff, int ldc,
                            float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB,
                            int m, int n, int k, float alpha, float beta) {
        checkArgs(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k);
        if (m == 0 || n == 0) return;
        Parallel.forRange(m, 16, (lo, hi) -> ScalarKernels.gemm(
                c, cOff + lo * ldc, ldc,
                a, transA ? aOff + lo : aOff + lo * lda, lda, transA,
                b, bOff, ldb, transB, hi - lo, n, k, alpha, beta));
    }

    // Leading dimensions and array extents, checked once so kernels can index freely.
    static void checkArgs(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                          float[] b, int bOff, int ldb, boolean transB, int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        checkMatrix("C", c, cOff, m, n, ldc);
        checkMatrix("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        checkMatrix("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
    }

    private static void checkMatrix(String name, float[] x, int off, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new IllegalArgumentException("gemm: " + name + " is (" + rows + ", " + cols + ") but its leading dimension is " + ld);
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("gemm: " + name + " (" + rows + ", " + cols + ") with ld " + ld
                    + " at offset " + off + " needs " + last + " elements, array has " + x.length);
        }
    }
}
