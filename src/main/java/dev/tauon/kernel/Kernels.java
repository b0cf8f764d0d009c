package dev.tauon.kernel;

// The public face of the kernels: each runs the selected twin (Twins: Vector* when
// Simd.ENABLED, otherwise the Scalar* twins, same bits). Large inputs are split into fixed-size
// chunks over the Parallel pool; every chunk owns its outputs, so thread count never changes a
// result.
// Signatures follow one rule: output array and offset first, then inputs, then dimensions.
public final class Kernels {
    static final int GRAIN = 1 << 15;     // elements per parallel chunk for streaming ops

    private Kernels() {}

    // C = alpha·op(A)·op(B) + beta·C; see ScalarGemm.gemm for layout and the canonical order.
    public static void gemm(float[] c, int cOff, int ldc,
                            float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB,
                            int m, int n, int k, float alpha, float beta) {
        Gemm.gemm(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
    }

    // y[off .. off+n) = v, in parallel chunks
    public static void fill(float[] y, int off, int n, float v) {
        if (n < GRAIN) { java.util.Arrays.fill(y, off, off + n, v); return; }
        Parallel.forRange(n, GRAIN, (lo, hi) -> java.util.Arrays.fill(y, off + lo, off + hi, v));
    }

    // C += A·B over the entries of A that are not +0 (see ScalarGemm.gemmSparseA): the same bits
    // as gemm with alpha = beta = 1 when B is finite and C holds no −0. For a mostly zero A (the
    // hard loss's dS). Chunks of SPARSE_ROWS rows of C; each streams all of B once.
    public static void gemmSparseA(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int m, int n, int k) {
        Parallel.forRange(m, SPARSE_ROWS, (lo, hi) -> {
            Twins.gemmSparseA(c, cOff + lo * ldc, ldc, a, aOff + lo * lda, lda, b, bOff, ldb, hi - lo, n, k);
        });
    }

    static final int SPARSE_ROWS = 64;

    // y = a + b
    public static void add(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.add(y, yOff + lo, a, aOff + lo, b, bOff + lo, hi - lo));
    }

    // y = a - b
    public static void sub(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.sub(y, yOff + lo, a, aOff + lo, b, bOff + lo, hi - lo));
    }

    // y = a * b
    public static void mul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.mul(y, yOff + lo, a, aOff + lo, b, bOff + lo, hi - lo));
    }

    // y += alpha * x
    public static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.axpy(y, yOff + lo, alpha, x, xOff + lo, hi - lo));
    }

    // y = alpha * x
    public static void scale(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.scale(y, yOff + lo, alpha, x, xOff + lo, hi - lo));
    }

    // y = max(x, 0)
    public static void relu(float[] y, int yOff, float[] x, int xOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.relu(y, yOff + lo, x, xOff + lo, hi - lo));
    }

    // dX += dY where x > 0 (x: the relu input or output; both give the same mask)
    public static void reluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.reluBackward(dx, dxOff + lo, x, xOff + lo, dy, dyOff + lo, hi - lo));
    }

    // y = exp(x), Tauon's own exp (ScalarElementwise.exp), identical in every twin
    public static void exp(float[] y, int yOff, float[] x, int xOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.exp(y, yOff + lo, x, xOff + lo, hi - lo));
    }

    // y = log(x)
    public static void log(float[] y, int yOff, float[] x, int xOff, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> Twins.log(y, yOff + lo, x, xOff + lo, hi - lo));
    }

    // exp of one value, Tauon's algorithm (the same bits as the array kernels)
    public static float exp1(float x) { return ScalarElementwise.exp(x); }

    // log of one value, Tauon's algorithm
    public static float log1(float x) { return ScalarElementwise.log(x); }

    // Σ x, canonical order (serial: a parallel split would change the order)
    public static float sum(float[] x, int off, int n) {
        return Twins.sum(x, off, n);
    }

    // Σ a·b, canonical order, fused
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return Twins.dot(a, aOff, b, bOff, n);
    }

    // Rows of x (n, d) from x[off] onto the unit sphere: y_i = x_i · (1 / max(‖x_i‖, eps)), with
    // ‖x_i‖ the square root of the canonical dot(x_i, x_i) in float; norms[i] (unless null) gets
    // the clamped norm; y is laid out as x and may be x. The one definition of row normalisation:
    // ops.L2Normalize, the metrics (metrics.Blocks) and the memory bank all go through it.
    public static void normalizeRows(float[] y, float[] norms, float[] x, int off, int n, int d, float eps) {
        for (int i = 0; i < n; i++) {
            int o = off + i * d;
            float norm = Math.max((float) Math.sqrt(dot(x, o, x, o, d)), eps);
            if (norms != null) norms[i] = norm;
            Twins.scale(y, o, 1f / norm, x, o, d);
        }
    }

    // the first i in [from, to) with x[i] > t, or to
    public static int firstAbove(float[] x, int from, int to, float t) {
        return Twins.firstAbove(x, from, to, t);
    }

    // how many of x[off .. off+n) are >= t
    public static int countAtLeast(float[] x, int off, int n, float t) {
        return Twins.countAtLeast(x, off, n, t);
    }

    // x[off .. off+n) -> val, col: the values >= t and their columns, in column order; returns how many
    public static int filterAtLeast(float[] val, int[] col, float[] x, int off, int n, float t) {
        return Twins.filterAtLeast(val, col, x, off, n, t);
    }

    // max of x; -inf when n == 0
    public static float max(float[] x, int off, int n) {
        return Twins.max(x, off, n);
    }

    // x: (rows, cols) -> out: (rows)
    public static void sumRows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        Parallel.forRange(rows, grain(cols), (lo, hi) -> {
            Twins.sumRows(out, outOff + lo, x, xOff + lo * cols, hi - lo, cols);
        });
    }

    // x: (rows, cols) -> out: (cols); serial (vectorised across columns), rows accumulate in order
    public static void sumCols(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        Twins.sumCols(out, outOff, x, xOff, rows, cols);
    }

    // x, y: (rows, cols); row-wise softmax; y may alias x
    public static void softmaxRows(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        Parallel.forRange(rows, grain(cols), (lo, hi) -> {
            Twins.softmaxRows(y, yOff + lo * cols, x, xOff + lo * cols, hi - lo, cols);
        });
    }

    // x, y: (rows, cols); row-wise log-softmax; y may alias x
    public static void logSoftmaxRows(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        Parallel.forRange(rows, grain(cols), (lo, hi) -> {
            float[] scratch = new float[cols];
            Twins.logSoftmaxRows(y, yOff + lo * cols, x, xOff + lo * cols, hi - lo, cols, scratch);
        });
    }

    // items per parallel chunk so that a chunk is about GRAIN elements (fixed by the shape)
    static int grain(int elementsPerItem) {
        return Math.max(1, GRAIN / Math.max(1, elementsPerItem));
    }
}
