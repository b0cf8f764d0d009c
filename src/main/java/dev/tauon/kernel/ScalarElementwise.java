package dev.tauon.kernel;

// The readable twins of the elementwise, reduction, softmax and filter kernels (VectorElementwise,
// VectorTopK): the test oracle, and the fallback when the Vector API is unavailable. Each defines
// the canonical arithmetic that the vector twins reproduce bit for bit:
//  - sums and dot products run in CANON interleaved partial sums (element j goes to partial
//    j % CANON), folded by a fixed halving tree, then the tail past the last full group is
//    added in order; any vector width that divides CANON reproduces this exactly;
//  - exp and log are our own polynomials built from fma, mul and add only, never Math.exp.
public final class ScalarElementwise {
    public static final int CANON = 16;

    private ScalarElementwise() {}

    // ---- elementwise --------------------------------------------------------------------------

    // y = a + b, all (n)
    public static void add(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
    }

    // y = a - b
    public static void sub(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = a[aOff + i] - b[bOff + i];
    }

    // y = a * b
    public static void mul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = a[aOff + i] * b[bOff + i];
    }

    // y += alpha * x  (fused)
    public static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    // y = alpha * x
    public static void scale(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = alpha * x[xOff + i];
    }

    // y = max(x, 0)
    public static void relu(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = x[xOff + i] > 0f ? x[xOff + i] : 0f;
    }

    // dX += dY where x > 0  (x: the relu input or, equivalently, its output)
    public static void reluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) if (x[xOff + i] > 0f) dx[dxOff + i] += dy[dyOff + i];
    }

    // y = exp(x)
    public static void exp(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = exp(x[xOff + i]);
    }

    // y = log(x)
    public static void log(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = log(x[xOff + i]);
    }

    // ---- reductions ---------------------------------------------------------------------------

    // Σ x[i] in the canonical order.
    public static float sum(float[] x, int off, int n) {
        float[] part = new float[CANON];
        int full = n - n % CANON;
        for (int i = 0; i < full; i++) part[i % CANON] += x[off + i];
        float s = fold(part);
        for (int i = full; i < n; i++) s += x[off + i];
        return s;
    }

    // Σ a[i]·b[i] in the canonical order, fused.
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float[] part = new float[CANON];
        int full = n - n % CANON;
        for (int i = 0; i < full; i++) part[i % CANON] = Math.fma(a[aOff + i], b[bOff + i], part[i % CANON]);
        float s = fold(part);
        for (int i = full; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    // x: (rows, cols) -> out: (rows), out[r] = Σ_c x[r,c] (canonical order)
    public static void sumRows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) out[outOff + r] = sum(x, xOff + r * cols, cols);
    }

    // x: (rows, cols) -> out: (cols), out[c] = Σ_r x[r,c] (rows in order)
    public static void sumCols(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        for (int c = 0; c < cols; c++) out[outOff + c] = 0f;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[outOff + c] += x[xOff + r * cols + c];
        }
    }

    // x, y: (rows, cols); y[r,:] = softmax(x[r,:]). y may alias x.
    public static void softmaxRows(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols, yr = yOff + r * cols;
            float max = max(x, xr, cols);
            for (int c = 0; c < cols; c++) y[yr + c] = exp(x[xr + c] - max);
            float s = sum(y, yr, cols);
            for (int c = 0; c < cols; c++) y[yr + c] = y[yr + c] / s;
        }
    }

    // x, y: (rows, cols); y[r,c] = (x[r,c] - max_r) - log Σ_c' exp(x[r,c'] - max_r). y may alias x.
    public static void logSoftmaxRows(float[] y, int yOff, float[] x, int xOff, int rows, int cols, float[] scratch) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols, yr = yOff + r * cols;
            float max = max(x, xr, cols);
            for (int c = 0; c < cols; c++) scratch[c] = exp(x[xr + c] - max);
            float logSum = log(sum(scratch, 0, cols));
            for (int c = 0; c < cols; c++) y[yr + c] = (x[xr + c] - max) - logSum;
        }
    }

    // The first index i in [from, to) with x[i] > t, or `to` if there is none.
    public static int firstAbove(float[] x, int from, int to, float t) {
        for (int i = from; i < to; i++) if (x[i] > t) return i;
        return to;
    }

    // how many of x[off .. off+n) are >= t (NaN never is)
    public static int countAtLeast(float[] x, int off, int n, float t) {
        int c = 0;
        for (int j = 0; j < n; j++) if (x[off + j] >= t) c++;
        return c;
    }

    // x[off .. off+n) -> val, col: the values >= t and their columns (0-based), in column order;
    // returns how many. NaN is never >= t. val and col hold >= n entries.
    public static int filterAtLeast(float[] val, int[] col, float[] x, int off, int n, float t) {
        int c = 0;
        for (int j = 0; j < n; j++) {
            float v = x[off + j];
            if (v >= t) { val[c] = v; col[c++] = j; }
        }
        return c;
    }

    // max over x[off .. off+n); -inf for n == 0; NaN if any element is NaN.
    public static float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    // The canonical fold of CANON partial sums: a halving tree, part[l] += part[l + w].
    static float fold(float[] part) {
        for (int w = CANON / 2; w >= 1; w /= 2) {
            for (int l = 0; l < w; l++) part[l] += part[l + w];
        }
        return part[0];
    }

    // ---- exp and log: one algorithm for every twin ------------------------------------------
    // exp: x = n·ln2 + r, |r| <= ln2/2 (Cody-Waite, two-part ln2); e^r by Cephes' expf
    // polynomial; 2^n applied as two exact power-of-two factors so results may be subnormal.
    // Max error about 1 ulp. log: x = m·2^e with m in [√½, √2); Cephes' logf polynomial.

    static final float EXP_LO = -104f, EXP_HI = 89f;
    static final float LOG2E = 1.44269504088896341f;
    static final float ROUND_MAGIC = 0x1.8p23f;               // adding it rounds to an integer
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    public static float exp(float x) {
        x = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float n = Math.fma(x, LOG2E, ROUND_MAGIC) - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E0, r, E1), r, E2), r, E3), r, E4), r, E5);
        float y = Math.fma(p, r * r, r) + 1f;
        int ni = (int) n, n1 = ni >> 1, n2 = ni - n1;
        return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    static final float SQRT_HALF = 0.707106781186547524f;
    static final float L0 = 7.0376836292e-2f, L1 = -1.1514610310e-1f, L2 = 1.1676998740e-1f,
            L3 = -1.2420140846e-1f, L4 = 1.4249322787e-1f, L5 = -1.6668057665e-1f,
            L6 = 2.0000714765e-1f, L7 = -2.4999993993e-1f, L8 = 3.3333331174e-1f;

    public static float log(float x) {
        if (!(x > 0f)) return x == 0f ? Float.NEGATIVE_INFINITY : Float.NaN;   // negative or NaN
        if (x == Float.POSITIVE_INFINITY) return x;
        float e = 0f;
        if (x < Float.MIN_NORMAL) { x *= 0x1p23f; e = -23f; }                 // subnormal input
        int bits = Float.floatToRawIntBits(x);
        e += (float) (((bits >>> 23) & 0xff) - 126);
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000);     // [0.5, 1)
        if (m < SQRT_HALF) { e -= 1f; m = m + m - 1f; } else { m = m - 1f; }
        float z = m * m;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
                L0, m, L1), m, L2), m, L3), m, L4), m, L5), m, L6), m, L7), m, L8);
        float y = p * m * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(-0.5f, z, y);
        return Math.fma(e, LN2_HI, m + y);
    }
}
