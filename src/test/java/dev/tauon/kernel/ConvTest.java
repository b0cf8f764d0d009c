package dev.tauon.kernel;

import org.junit.jupiter.api.Test;

import static dev.tauon.kernel.KernelsTest.random;
import static org.junit.jupiter.api.Assertions.*;

// Conv against a naive double-precision reference, hand-computed cases, the adjoint identities
// that tie forward to both backward kernels, central differences, and accumulation.
class ConvTest {
    // {N, C, H, W, K, R, S, stride, pad}: stride 1 and 2, padding 0..2, square and not
    static final int[][] SHAPES = {
            {2, 3, 7, 7, 4, 3, 3, 1, 1}, {2, 3, 8, 9, 5, 3, 3, 2, 1}, {1, 2, 6, 5, 3, 2, 3, 1, 0},
            {3, 1, 5, 7, 2, 1, 3, 2, 2}, {2, 4, 9, 9, 3, 5, 5, 2, 2}, {1, 3, 4, 4, 2, 1, 1, 1, 0},
            {2, 2, 5, 6, 2, 1, 1, 2, 0}, {5, 2, 3, 3, 3, 3, 3, 1, 2}, {9, 40, 6, 6, 3, 3, 3, 1, 1},
            {2, 1, 10, 4, 3, 4, 2, 3, 1}, {3, 12, 6, 16, 10, 3, 3, 1, 1},   // the last: ConvDirect in all three passes
            {2, 9, 7, 5, 11, 3, 3, 1, 1}};   // ConvDirect on rows of 6: several dropped columns in every vector

    record Shape(int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        Shape(int[] s) { this(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]); }
        int P() { return Conv.outSize(H, R, stride, pad); }
        int Q() { return Conv.outSize(W, S, stride, pad); }
        int xLen() { return N * C * H * W; }
        int wLen() { return K * C * R * S; }
        int yLen() { return N * K * P() * Q(); }
        float[] forward(float[] x, float[] w) {
            float[] y = new float[yLen()];
            Conv.forward(y, x, w, N, C, H, W, K, R, S, stride, pad);
            return y;
        }
        // 7 loops in double; abs collects Σ|w·x| per output for an error bound
        double[] reference(float[] x, float[] w, double[] abs) {
            int P = P(), Q = Q();
            double[] y = new double[yLen()];
            for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) for (int p = 0; p < P; p++) for (int q = 0; q < Q; q++) {
                double s = 0, a = 0;
                for (int c = 0; c < C; c++) for (int r = 0; r < R; r++) for (int t = 0; t < S; t++) {
                    int h = p * stride + r - pad, v = q * stride + t - pad;
                    if (h < 0 || h >= H || v < 0 || v >= W) continue;
                    double prod = (double) w[((k * C + c) * R + r) * S + t] * x[((n * C + c) * H + h) * W + v];
                    s += prod;
                    a += Math.abs(prod);
                }
                int i = ((n * K + k) * P + p) * Q + q;
                y[i] = s;
                if (abs != null) abs[i] = a;
            }
            return y;
        }
        @Override public String toString() {
            return "N=%d C=%d %dx%d K=%d %dx%d stride=%d pad=%d".formatted(N, C, H, W, K, R, S, stride, pad);
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test void forwardMatchesNaiveReference() {
        for (int[] s : SHAPES) {
            Shape sh = new Shape(s);
            float[] x = random(1, sh.xLen(), -1, 1), w = random(2, sh.wLen(), -1, 1);
            double[] abs = new double[sh.yLen()];
            double[] ref = sh.reference(x, w, abs);
            float[] y = sh.forward(x, w);
            double u = 0x1p-24 * 1.01 * sh.C * sh.R * sh.S;   // fma-chain rounding bound per Σ|terms|
            for (int i = 0; i < y.length; i++) {
                assertEquals(ref[i], y[i], u * abs[i] + 1e-30, sh + " element " + i);
            }
        }
    }

    @Test void handComputedTwoByTwoKernelOnThreeByThree() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9}, w = {1, 2, 3, 4};
        float[] y = new float[4];
        Conv.forward(y, x, w, 1, 1, 3, 3, 1, 2, 2, 1, 0);
        assertArrayEquals(new float[] {37, 47, 67, 77}, y);      // 1·1+2·2+3·4+4·5, ...
        Conv.forward(y, x, w, 1, 1, 3, 3, 1, 2, 2, 2, 1);        // padded, stride 2: corners see 1, 2 or 4 taps
        assertArrayEquals(new float[] {4, 18, 36, 77}, y);       // 4·1, 3·2+4·3, 2·4+4·7, 1·5+2·6+3·8+4·9
        float[] dw = new float[4], dx = new float[9];
        Conv.backwardWeight(dw, x, new float[] {1, 0, 0, 0}, 1, 1, 3, 3, 1, 2, 2, 2, 1);
        assertArrayEquals(new float[] {0, 0, 0, 1}, dw);         // only the tap w[1,1]·x[0,0] fed y[0,0]
        Conv.backwardData(dx, new float[] {0, 0, 0, 1}, w, 1, 1, 3, 3, 1, 2, 2, 2, 1);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 3, 4}, dx);   // y[1,1] read x[1..2, 1..2]
    }

    // <conv(x, w), g> = <x, convᵀ_x(g)> = <w, convᵀ_w(g)>, evaluated in double
    @Test void backwardKernelsAreAdjointsOfForward() {
        for (int[] s : SHAPES) {
            Shape sh = new Shape(s);
            float[] x = random(3, sh.xLen(), -1, 1), w = random(4, sh.wLen(), -1, 1), g = random(5, sh.yLen(), -1, 1);
            double lhs = dot(sh.reference(x, w, null), g);
            float[] dx = new float[sh.xLen()], dw = new float[sh.wLen()];
            Conv.backwardData(dx, g, w, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad);
            Conv.backwardWeight(dw, x, g, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad);
            double scale = Math.sqrt(sh.yLen() * sh.C * sh.R * sh.S);
            assertEquals(lhs, dot(x, dx), 1e-5 * scale, sh + " backwardData");
            assertEquals(lhs, dot(w, dw), 1e-5 * scale, sh + " backwardWeight");
        }
    }

    // dL/dx and dL/dw for L = Σ conv(x, w)·g by central differences of the double reference
    @Test void backwardMatchesCentralDifferences() {
        for (int[] s : new int[][] {SHAPES[1], SHAPES[2], SHAPES[3], SHAPES[9]}) {
            Shape sh = new Shape(s);
            float[] x = random(6, sh.xLen(), -1, 1), w = random(7, sh.wLen(), -1, 1), g = random(8, sh.yLen(), -1, 1);
            float[] dx = new float[sh.xLen()], dw = new float[sh.wLen()];
            Conv.backwardData(dx, g, w, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad);
            Conv.backwardWeight(dw, x, g, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad);
            float h = 0.25f;   // exact in float; the loss is linear in each argument
            for (int i = 0; i < x.length; i++) {
                float keep = x[i];
                x[i] = keep + h; double up = dot(sh.reference(x, w, null), g);
                x[i] = keep - h; double down = dot(sh.reference(x, w, null), g);
                x[i] = keep;
                assertEquals((up - down) / (2 * h), dx[i], 1e-5, sh + " dx[" + i + "]");
            }
            for (int i = 0; i < w.length; i++) {
                float keep = w[i];
                w[i] = keep + h; double up = dot(sh.reference(x, w, null), g);
                w[i] = keep - h; double down = dot(sh.reference(x, w, null), g);
                w[i] = keep;
                assertEquals((up - down) / (2 * h), dw[i], 1e-4, sh + " dw[" + i + "]");
            }
        }
    }

    @Test void backwardAccumulates() {
        Shape sh = new Shape(SHAPES[1]);
        float[] x = random(9, sh.xLen(), -1, 1), w = random(10, sh.wLen(), -1, 1), g = random(11, sh.yLen(), -1, 1);
        float[] dx = new float[sh.xLen()], dw = new float[sh.wLen()];
        Conv.backwardData(dx, g, w, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad);
        Conv.backwardWeight(dw, x, g, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad);
        float[] dx2 = dx.clone(), dw2 = dw.clone();
        Conv.backwardData(dx2, g, w, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad);
        Conv.backwardWeight(dw2, x, g, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad);
        for (int i = 0; i < dx.length; i++) assertEquals(2 * dx[i], dx2[i], 1e-5f * (1 + Math.abs(dx[i])), "dx[" + i + "]");
        for (int i = 0; i < dw.length; i++) assertEquals(2 * dw[i], dw2[i], 1e-5f * (1 + Math.abs(dw[i])), "dw[" + i + "]");
        assertNotEquals(0f, dx[0] * dw[0], "gradients should be non-trivial");
    }

    // accumulate = false never reads dx (NaN garbage there) and gives the bits of adding into
    // zeros, on ConvDirect's shapes and on im2col's
    @Test void backwardDataOverwritesWithTheBitsOfAccumulatingIntoZeros() {
        for (int[] s : SHAPES) {
            Shape sh = new Shape(s);
            float[] w = random(12, sh.wLen(), -1, 1), g = random(13, sh.yLen(), -1, 1);
            float[] zeros = new float[sh.xLen()], garbage = new float[sh.xLen()];
            java.util.Arrays.fill(garbage, Float.NaN);
            Conv.backwardData(zeros, g, w, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad, null, true);
            Conv.backwardData(garbage, g, w, sh.N, sh.C, sh.H, sh.W, sh.K, sh.R, sh.S, sh.stride, sh.pad, null, false);
            for (int i = 0; i < zeros.length; i++) {
                assertEquals(Float.floatToRawIntBits(zeros[i]), Float.floatToRawIntBits(garbage[i]), sh + " dx[" + i + "]");
            }
        }
    }

    @Test void biasBroadcastsAndSums() {
        int N = 3, K = 2, P = 2, Q = 3;
        float[] y = new float[N * K * P * Q], b = {1.5f, -2f}, db = {10f, 20f};
        Conv.biasForward(y, b, N, K, P, Q);
        for (int i = 0; i < y.length; i++) assertEquals(b[i / (P * Q) % K], y[i], "y[" + i + "]");
        Conv.biasBackward(db, y, N, K, P, Q);                    // Σ over 3 samples × 6 pixels
        assertArrayEquals(new float[] {10f + 18 * 1.5f, 20f - 18 * 2f}, db);
    }
}
