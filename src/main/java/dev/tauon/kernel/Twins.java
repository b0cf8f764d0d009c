package dev.tauon.kernel;

// The one place that chooses between twins: each kernel pair shares a name and a signature, and
// this runs the Vector API twin (Vector*) when Simd.ENABLED, the readable scalar twin (Scalar*)
// otherwise; the same bits either way. Callers (Kernels, Gemm, Conv, ConvDirect, Norm, Pool)
// never ask which. V is a static final, so C2 folds each test away.
final class Twins {
    static final boolean V = Simd.ENABLED;

    // The GEMM micro-tile of the selected set, MR rows × NR columns of C. The vector set holds a
    // 12 × 2-vector tile in registers; the scalar set's 4 × 32 keeps eight independent fma chains
    // per pass. Only the vector set reads full A panels in place for narrow products (Gemm.block):
    // the scalar twin of that kernel is the plain loop, slower than packing.
    static final int MR = V ? VectorGemm.MR : 4, NR = V ? VectorGemm.NR : 32;
    static final int A_DIRECT_COLS = V ? 2 * NR : 0;

    private Twins() {}

    // ---- elementwise (VectorElementwise / ScalarElementwise) --------------------------------

    static void add(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        if (V) VectorElementwise.add(y, yOff, a, aOff, b, bOff, n); else ScalarElementwise.add(y, yOff, a, aOff, b, bOff, n);
    }

    static void sub(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        if (V) VectorElementwise.sub(y, yOff, a, aOff, b, bOff, n); else ScalarElementwise.sub(y, yOff, a, aOff, b, bOff, n);
    }

    static void mul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        if (V) VectorElementwise.mul(y, yOff, a, aOff, b, bOff, n); else ScalarElementwise.mul(y, yOff, a, aOff, b, bOff, n);
    }

    static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        if (V) VectorElementwise.axpy(y, yOff, alpha, x, xOff, n); else ScalarElementwise.axpy(y, yOff, alpha, x, xOff, n);
    }

    static void scale(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        if (V) VectorElementwise.scale(y, yOff, alpha, x, xOff, n); else ScalarElementwise.scale(y, yOff, alpha, x, xOff, n);
    }

    static void relu(float[] y, int yOff, float[] x, int xOff, int n) {
        if (V) VectorElementwise.relu(y, yOff, x, xOff, n); else ScalarElementwise.relu(y, yOff, x, xOff, n);
    }

    static void reluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        if (V) VectorElementwise.reluBackward(dx, dxOff, x, xOff, dy, dyOff, n); else ScalarElementwise.reluBackward(dx, dxOff, x, xOff, dy, dyOff, n);
    }

    static void exp(float[] y, int yOff, float[] x, int xOff, int n) {
        if (V) VectorElementwise.exp(y, yOff, x, xOff, n); else ScalarElementwise.exp(y, yOff, x, xOff, n);
    }

    static void log(float[] y, int yOff, float[] x, int xOff, int n) {
        if (V) VectorElementwise.log(y, yOff, x, xOff, n); else ScalarElementwise.log(y, yOff, x, xOff, n);
    }

    static float sum(float[] x, int off, int n) {
        return V ? VectorElementwise.sum(x, off, n) : ScalarElementwise.sum(x, off, n);
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return V ? VectorElementwise.dot(a, aOff, b, bOff, n) : ScalarElementwise.dot(a, aOff, b, bOff, n);
    }

    static float max(float[] x, int off, int n) {
        return V ? VectorElementwise.max(x, off, n) : ScalarElementwise.max(x, off, n);
    }

    static void sumRows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        if (V) VectorElementwise.sumRows(out, outOff, x, xOff, rows, cols); else ScalarElementwise.sumRows(out, outOff, x, xOff, rows, cols);
    }

    static void sumCols(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        if (V) VectorElementwise.sumCols(out, outOff, x, xOff, rows, cols); else ScalarElementwise.sumCols(out, outOff, x, xOff, rows, cols);
    }

    static void softmaxRows(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        if (V) VectorElementwise.softmaxRows(y, yOff, x, xOff, rows, cols); else ScalarElementwise.softmaxRows(y, yOff, x, xOff, rows, cols);
    }

    static void logSoftmaxRows(float[] y, int yOff, float[] x, int xOff, int rows, int cols, float[] scratch) {
        if (V) VectorElementwise.logSoftmaxRows(y, yOff, x, xOff, rows, cols, scratch);
        else ScalarElementwise.logSoftmaxRows(y, yOff, x, xOff, rows, cols, scratch);
    }

    static int firstAbove(float[] x, int from, int to, float t) {
        return V ? VectorElementwise.firstAbove(x, from, to, t) : ScalarElementwise.firstAbove(x, from, to, t);
    }

    // ---- TopK's filters (VectorTopK / ScalarElementwise) -----------------------------------

    static int countAtLeast(float[] x, int off, int n, float t) {
        return V ? VectorTopK.countAtLeast(x, off, n, t) : ScalarElementwise.countAtLeast(x, off, n, t);
    }

    static int filterAtLeast(float[] val, int[] col, float[] x, int off, int n, float t) {
        return V ? VectorTopK.filterAtLeast(val, col, x, off, n, t) : ScalarElementwise.filterAtLeast(val, col, x, off, n, t);
    }

    // ---- GEMM and convolution (VectorGemm, VectorSparse / ScalarGemm) ----------------------

    static void gemmMicro(int rows, float[] c, int cOff, int ldc, float[] ap, int aOff, float[] bp, int bOff, int ldb, int kc, boolean load) {
        if (V) VectorGemm.gemmMicro(rows, c, cOff, ldc, ap, aOff, bp, bOff, ldb, kc, load);
        else ScalarGemm.gemmMicro(rows, c, cOff, ldc, ap, aOff, bp, bOff, ldb, kc, load);
    }

    static void gemmMicroOff(int rows, float[] c, int cOff, int ldc, float[] ap, int aOff, float[] bp, int bOff, int[] off, int oOff, int kc, boolean load) {
        if (V) VectorGemm.gemmMicroOff(rows, c, cOff, ldc, ap, aOff, bp, bOff, off, oOff, kc, load);
        else ScalarGemm.gemmMicroOff(rows, c, cOff, ldc, ap, aOff, bp, bOff, off, oOff, kc, load);
    }

    static void gemmMicroAOff(float[] c, int cOff, int ldc, float[] am, int[] rowOff, int rOff, int aShift, float[] bp, int bOff, int ldb, int kc, boolean load) {
        if (V) VectorGemm.gemmMicroAOff(c, cOff, ldc, am, rowOff, rOff, aShift, bp, bOff, ldb, kc, load);
        else ScalarGemm.gemmMicroAOff(c, cOff, ldc, am, rowOff, rOff, aShift, bp, bOff, ldb, kc, load);
    }

    static void storeCompressed(float[] y, int yOff, int ldy, float[] tile, int rows, long keepA, long keepB, int firstA, int firstB, boolean acc) {
        if (V) VectorGemm.storeCompressed(y, yOff, ldy, tile, rows, keepA, keepB, firstA, firstB, acc);
        else ScalarGemm.storeCompressed(y, yOff, ldy, tile, rows, keepA, keepB, firstA, firstB, acc);
    }

    static void gemmPackA(float[] w, int d, float[] a, int aRow, int lda, int kb, float alpha, int[] idx) {
        if (V) VectorGemm.gemmPackA(w, d, a, aRow, lda, kb, alpha, idx); else ScalarGemm.gemmPackA(w, d, a, aRow, lda, kb, alpha, idx);
    }

    static int[] gemmPackIndex(int lda) {
        return V ? VectorGemm.gemmPackIndex(lda) : ScalarGemm.gemmPackIndex(lda);
    }

    static void gemmPackColumns(float[] bp, int d, float[] b, int bCol, int kb, int[] idx) {
        if (V) VectorGemm.gemmPackColumns(bp, d, b, bCol, kb, idx); else ScalarGemm.gemmPackColumns(bp, d, b, bCol, kb, idx);
    }

    static void gemmPackRow(float[] bp, int bOff, int panelStride, float[] b, int bRow, int panels) {
        if (V) VectorGemm.gemmPackRow(bp, bOff, panelStride, b, bRow, panels); else ScalarGemm.gemmPackRow(bp, bOff, panelStride, b, bRow, panels);
    }

    static void gemmSparseA(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int m, int n, int k) {
        if (V) VectorSparse.gemmSparseA(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
        else ScalarGemm.gemmSparseA(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
    }

    static void conv1Forward(float[] y, int yOff, float[] xp, int Wp, float[] w, int K, int R, int S, int P, int Q) {
        if (V) VectorGemm.conv1Forward(y, yOff, xp, Wp, w, K, R, S, P, Q); else ScalarGemm.conv1Forward(y, yOff, xp, Wp, w, K, R, S, P, Q);
    }

    // ---- batch-norm planes (VectorNorm / ScalarNorm) ---------------------------------------

    static float sumSquaredDeviation(float[] x, int off, int n, float mu) {
        return V ? VectorNorm.sumSquaredDeviation(x, off, n, mu) : ScalarNorm.sumSquaredDeviation(x, off, n, mu);
    }

    static void normalize(float[] y, int yOff, float[] x, int xOff, int n, float mu, float is, float g, float b, boolean relu) {
        if (V) VectorNorm.normalize(y, yOff, x, xOff, n, mu, is, g, b, relu); else ScalarNorm.normalize(y, yOff, x, xOff, n, mu, is, g, b, relu);
    }

    static void sumAndDotXhat(float[] out, float[] dy, int dyOff, float[] x, int xOff, int n, float mu, float is, float g, float b, boolean relu) {
        if (V) VectorNorm.sumAndDotXhat(out, dy, dyOff, x, xOff, n, mu, is, g, b, relu);
        else ScalarNorm.sumAndDotXhat(out, dy, dyOff, x, xOff, n, mu, is, g, b, relu);
    }

    static void normBackward(float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff, int n,
                             float mu, float is, float k, float mdy, float mdyx, float g, float b, boolean relu, boolean acc) {
        if (V) VectorNorm.normBackward(dx, dxOff, dy, dyOff, x, xOff, n, mu, is, k, mdy, mdyx, g, b, relu, acc);
        else ScalarNorm.normBackward(dx, dxOff, dy, dyOff, x, xOff, n, mu, is, k, mdy, mdyx, g, b, relu, acc);
    }

    // ---- 2×2 max-pool rows (VectorPool / ScalarPool) ---------------------------------------

    static void maxPool2Row(float[] y, int yo, float[] x, int top, int W, int Q) {
        if (V) VectorPool.maxPool2Row(y, yo, x, top, W, Q); else ScalarPool.maxPool2Row(y, yo, x, top, W, Q);
    }

    static void maxPool2RowArgmax(float[] y, int yo, float[] win, int wo, float[] x, int top, int W, int Q) {
        if (V) VectorPool.maxPool2RowArgmax(y, yo, win, wo, x, top, W, Q); else ScalarPool.maxPool2RowArgmax(y, yo, win, wo, x, top, W, Q);
    }

    static void maxPool2RowScatter(float[] dx, int dxTop, float[] dy, int yo, float[] win, int wo, int W, int Q) {
        if (V) VectorPool.maxPool2RowScatter(dx, dxTop, dy, yo, win, wo, W, Q); else ScalarPool.maxPool2RowScatter(dx, dxTop, dy, yo, win, wo, W, Q);
    }
}
