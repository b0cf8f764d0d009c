package dev.tauon.kernel;

// The readable twins of every kernel: the test oracle, and the fallback when the Vector API is
// unavailable. Each defines the canonical arithmetic that VectorKernels reproduces bit for bit:
//  - sums and dot products run in CANON interleaved partial sums (element j goes to partial
//    j % CANON), folded by a fixed halving tree, then the tail past the last full group is
//    added in order; any vector width that divides CANON reproduces this exactly;
//  - exp and log are our own polynomials built from fma, mul and add only, never Math.exp.
public final class ScalarKernels {
    public static final int CANON = 16;

    private ScalarKernels() {}

    // ---- GEMM -------------------------------------------------------------------------------

    // C = alpha·op(A)·op(B) + beta·C.  op(A): (m,k), op(B): (k,n), C: (m,n), all row-major.
    // A is stored (m,k) with row stride lda, or (k,m) when transA; likewise B is (k,n) or (n,k).
    // Canonical order per element: c = beta==0 ? 0 : beta·C[i,j]; then for p = 0..k-1 in order,
    // c = fma(alpha·A(i,p), B(p,j), c). beta == 0 never reads C (NaN there is ignored).
    public static void gemm(float[] c, int cOff, int ldc,
                            float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB,
                            int m, int n, int k, float alpha, float beta) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
            for (int p = 0; p < k; p++) {
                float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                for (int j = 0; j < n; j++) {
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    c[ci + j] = Math.fma(aip, bpj, c[ci + j]);
                }
            }
        }
    }

    // The scalar twin of VectorKernels.gemmMicro, Gemm's micro-kernel when SIMD is off.
    // C: (MR, NR) tile at cOff, row stride ldc; ap: packed A (kc, MR), alpha folded in;
    // bp: B (kc, NR), rows ldb apart. C[i,j] = fma(ap[p,i], bp[p,j], C[i,j]) for p = 0..kc-1 in order,
    // from the stored C, or from 0 when !load. Eight columns at a time in locals: eight
    // independent fma chains keep both FMA ports busy (C2 does not vectorise this loop).
    public static final int GEMM_MR = 4, GEMM_NR = 32;

    static void gemmMicro(float[] c, int cOff, int ldc, float[] ap, int aOff, float[] bp, int bOff, int ldb, int kc, boolean load) {
        for (int i = 0; i < GEMM_MR; i++) {
            for (int j = 0; j < GEMM_NR; j += 8) {
                int cj = cOff + i * ldc + j;
                float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f, c4 = 0f, c5 = 0f, c6 = 0f, c7 = 0f;
                if (load) {
                    c0 = c[cj]; c1 = c[cj + 1]; c2 = c[cj + 2]; c3 = c[cj + 3];
                    c4 = c[cj + 4]; c5 = c[cj + 5]; c6 = c[cj + 6]; c7 = c[cj + 7];
                }
                for (int p = 0; p < kc; p++) {
                    float aip = ap[aOff + p * GEMM_MR + i];
                    int bo = bOff + p * ldb + j;
                    c0 = Math.fma(aip, bp[bo], c0); c1 = Math.fma(aip, bp[bo + 1], c1);
                    c2 = Math.fma(aip, bp[bo + 2], c2); c3 = Math.fma(aip, bp[bo + 3], c3);
                    c4 = Math.fma(aip, bp[bo + 4], c4); c5 = Math.fma(aip, bp[bo + 5], c5);
                    c6 = Math.fma(aip, bp[bo + 6], c6); c7 = Math.fma(aip, bp[bo + 7], c7);
                }
                c[cj] = c0; c[cj + 1] = c1; c[cj + 2] = c2; c[cj + 3] = c3;
                c[cj + 4] = c4; c[cj + 5] = c5; c[cj + 6] = c6; c[cj + 7] = c7;
            }
        }
    }

    // The plain form of a micro-kernel on `rows` rows of A, A(i, p) = ap[aOff + i·ars + p·aps]
    // (a packed panel: ars = 1, aps = MR; A in place: ars = lda, aps = 1), and nr columns:
    // C[i,j] = fma(A(i, p), bp[p·ldb + j], C[i,j]) for p = 0..kc-1, from the stored C or from 0
    // when !load. The twin of VectorKernels.gemmMicro (and of gemmMicroAOff with rows lda apart).
    static void gemmMicroRows(int rows, int nr, float[] c, int cOff, int ldc, float[] ap, int aOff, int ars, int aps,
                              float[] bp, int bOff, int ldb, int kc, boolean load) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < nr; j++) {
                float cij = load ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < kc; p++) cij = Math.fma(ap[aOff + i * ars + p * aps], bp[bOff + p * ldb + j], cij);
                c[cOff + i * ldc + j] = cij;
            }
        }
    }

    // The twin of VectorKernels.gemmMicroOff (ConvDirect): rows × nr elements
    // of C at cOff, each from +0: C[i,j] = fma(ap[aOff + p·aps + i], bp[bOff + off[p] + j], C[i,j])
    // for p = 0..kc-1; B row p is read at its own offset.
    static void gemmMicroOff(int rows, int nr, float[] c, int cOff, int ldc, float[] ap, int aOff, int aps,
                             float[] bp, int bOff, int[] off, int kc) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < nr; j++) {
                float cij = 0f;
                for (int p = 0; p < kc; p++) cij = Math.fma(ap[aOff + p * aps + i], bp[bOff + off[p] + j], cij);
                c[cOff + i * ldc + j] = cij;
            }
        }
    }

    // The twin of VectorKernels.gemmMicroAOff: rows × nr elements of C at cOff continue their
    // chains (from the stored C, or from 0 when !load): C[i,j] = fma(am[rowOff[rOff + i] + aShift + p],
    // bp[bOff + p·ldb + j], C[i,j]) for p = 0..kc-1.
    static void gemmMicroAOff(int rows, int nr, float[] c, int cOff, int ldc, float[] am, int[] rowOff, int rOff, int aShift,
                              float[] bp, int bOff, int ldb, int kc, boolean load) {
        for (int i = 0; i < rows; i++) {
            int ai = rowOff[rOff + i] + aShift;
            for (int j = 0; j < nr; j++) {
                float cij = load ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < kc; p++) cij = Math.fma(am[ai + p], bp[bOff + p * ldb + j], cij);
                c[cOff + i * ldc + j] = cij;
            }
        }
    }

    // One input channel at stride 1, without im2col. xp: the channel's plane zero-padded to
    // (P+R-1, Wp = Q+S-1); w: (K, R·S) -> y: (K, P, Q) at yOff. Each y[k,p,q] is gemm's chain for
    // C = 1 (beta = 0): from +0, fma(w[k,r,s], xp[p+r, q+s], y) for (r,s) in row-major order;
    // a padded tap is the +0 that im2col would have written. Twin of VectorKernels.conv1Forward.
    static void conv1Forward(float[] y, int yOff, float[] xp, int Wp, float[] w, int K, int R, int S, int P, int Q) {
        for (int k = 0; k < K; k++) {
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < Q; q++) {
                    float acc = 0f;
                    for (int j = 0; j < R * S; j++) acc = Math.fma(w[k * R * S + j], xp[(p + j / S) * Wp + q + j % S], acc);
                    y[yOff + (k * P + p) * Q + q] = acc;
                }
            }
        }
    }

    // C += A·B over the entries of A that are not +0 (bit pattern 0): A: (m,k) row stride lda,
    // B: (k,n) row stride ldb, C: (m,n) row stride ldc. Per element, for p = 0..k-1 in order with
    // A[i,p] not +0, c = fma(A[i,p], B[p,j], c). A skipped term fma(+0, b, c) would return c for
    // finite b and c other than −0, so then this is gemm(alpha = 1, beta = 1) bit for bit.
    public static void gemmSparseA(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float x = a[aOff + i * lda + p];
                if (Float.floatToRawIntBits(x) == 0) continue;
                for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = Math.fma(x, b[bOff + p * ldb + j], c[cOff + i * ldc + j]);
            }
        }
    }

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

    // ---- batch-norm planes (twins of VectorKernelsNorm) ------------------------------------
    // x̂ is never stored: it is recomputed as (x − μ)·invStd, two roundings, wherever it is used.

    // x: (n) -> Σ (x − mu)², d = x − mu rounded, then dot(d, d) in the canonical order
    public static float sumSquaredDeviation(float[] x, int off, int n, float mu) {
        float[] part = new float[CANON];
        int full = n - n % CANON;
        for (int i = 0; i < full; i++) { float d = x[off + i] - mu; part[i % CANON] = Math.fma(d, d, part[i % CANON]); }
        float s = fold(part);
        for (int i = full; i < n; i++) { float d = x[off + i] - mu; s = Math.fma(d, d, s); }
        return s;
    }

    // x: (n) -> y: (n), y = fma(g, (x − mu)·is, b), then max(y, 0) as relu() when relu
    public static void normalize(float[] y, int yOff, float[] x, int xOff, int n, float mu, float is, float g, float b, boolean relu) {
        for (int i = 0; i < n; i++) {
            float v = Math.fma(g, (x[xOff + i] - mu) * is, b);
            y[yOff + i] = relu ? (v > 0f ? v : 0f) : v;
        }
    }

    // The gradient at the batch norm's own output: dy, or with a fused relu 0 + dy where
    // fma(g, x̂, b) > 0 and 0 elsewhere (what reluBackward leaves in a zeroed buffer).
    static float normOutGrad(float dy, float x, float mu, float is, float g, float b, boolean relu) {
        return !relu ? dy : Math.fma(g, (x - mu) * is, b) > 0f ? 0f + dy : 0f;
    }

    // dy, x: (n) -> out[0] = sum(dy'), out[1] = dot(dy', x̂), each in the canonical order;
    // dy' = normOutGrad(dy)
    public static void sumAndDotXhat(float[] out, float[] dy, int dyOff, float[] x, int xOff, int n, float mu, float is, float g, float b, boolean relu) {
        float[] xhat = new float[n], d = new float[n];
        for (int i = 0; i < n; i++) {
            xhat[i] = (x[xOff + i] - mu) * is;
            d[i] = normOutGrad(dy[dyOff + i], x[xOff + i], mu, is, g, b, relu);
        }
        out[0] = sum(d, 0, n);
        out[1] = dot(d, 0, xhat, 0, n);
    }

    // dy, x: (n) -> dx: (n): t = k·(dy' − mdy − x̂·mdyx); dx += t when acc, else dx = 0 + t
    public static void normBackward(float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff, int n,
                                    float mu, float is, float k, float mdy, float mdyx, float g, float b, boolean relu, boolean acc) {
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i], t = k * (normOutGrad(dy[dyOff + i], xi, mu, is, g, b, relu) - mdy - (xi - mu) * is * mdyx);
            dx[dxOff + i] = (acc ? dx[dxOff + i] : 0f) + t;
        }
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
