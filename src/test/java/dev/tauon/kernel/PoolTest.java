package dev.tauon.kernel;

import org.junit.jupiter.api.Test;

import static dev.tauon.kernel.KernelsTest.random;
import static org.junit.jupiter.api.Assertions.*;

// Max pooling against hand-worked windows (ties, NaN) and a naive loop; its backward as a
// scatter-add; global average pooling by hand.
class PoolTest {
    @Test void maxPoolTwoByTwoPicksFirstOfTiedMaxima() {
        float[] plane = {
                1, 3, 2, 2,
                3, 0, 2, 2,
                5, 5, -1, -2,
                5, 4, -3, -4};
        float[] x = new float[32];
        System.arraycopy(plane, 0, x, 0, 16);
        System.arraycopy(plane, 0, x, 16, 16);                       // N=2: same plane again
        float[] y = new float[8];
        Pool.maxForward(y, x, 2, 1, 4, 4, 2, 2);
        assertArrayEquals(new float[] {3, 2, 5, -1, 3, 2, 5, -1}, y);
        float[] dx = new float[32];
        dx[1] = 100;                                                   // gradients land on the row-major first max
        Pool.maxBackward(dx, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, x, 2, 1, 4, 4, 2, 2, true);
        float[] expect = new float[32];
        expect[1] = 101; expect[2] = 2; expect[8] = 3; expect[10] = 4;
        expect[17] = 5; expect[18] = 6; expect[24] = 7; expect[26] = 8;
        assertArrayEquals(expect, dx);
    }

    @Test void maxPoolPropagatesNaN() {
        float[] x = {1, Float.NaN, 7, Float.NaN};
        float[] y = new float[1], dx = new float[4];
        Pool.maxForward(y, x, 1, 1, 2, 2, 2, 2);
        assertTrue(Float.isNaN(y[0]));
        Pool.maxBackward(dx, new float[] {1}, x, 1, 1, 2, 2, 2, 2, true);
        assertArrayEquals(new float[] {0, 1, 0, 0}, dx);                  // the first NaN wins
        assertEquals(3, Pool.argmax(new float[] {1, 2, 3, Float.NaN}, 0, 2, 2));
    }

    // overlapping 3×3 windows, stride 1 and 2, odd sizes: against a naive loop
    @Test void maxPoolMatchesNaiveLoopAndScattersOverlaps() {
        int N = 3, C = 2, H = 7, W = 6;
        float[] x = random(1, N * C * H * W, -1, 1);
        for (int i = 0; i < x.length; i += 5) x[i] = 0.5f;             // plenty of ties
        for (int[] ks : new int[][] {{3, 1}, {3, 2}, {2, 2}, {2, 3}}) {
            int k = ks[0], stride = ks[1], P = (H - k) / stride + 1, Q = (W - k) / stride + 1;
            float[] y = new float[N * C * P * Q], dy = random(2, y.length, -1, 1), dx = new float[x.length];
            Pool.maxForward(y, x, N, C, H, W, k, stride);
            Pool.maxBackward(dx, dy, x, N, C, H, W, k, stride, true);
            float[] fresh = random(3, x.length, -9, 9);               // garbage: assigned, never read
            Pool.maxBackward(fresh, dy, x, N, C, H, W, k, stride, false);
            KernelsTest.assertBits(dx, fresh, "assign = accumulate into zeros, k=" + k + " stride=" + stride);
            double[] ref = new double[x.length];
            for (int pl = 0; pl < N * C; pl++) for (int p = 0; p < P; p++) for (int q = 0; q < Q; q++) {
                int best = -1;
                for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
                    int idx = pl * H * W + (p * stride + i) * W + q * stride + j;
                    if (best < 0 || x[idx] > x[best]) best = idx;
                }
                int o = (pl * P + p) * Q + q;
                assertEquals(best, Pool.argmax(x, pl * H * W + p * stride * W + q * stride, W, k), "k=" + k + " stride=" + stride + " output " + o);
                assertEquals(x[best], y[o]);
                ref[best] += dy[o];
            }
            for (int i = 0; i < x.length; i++) assertEquals(ref[i], dx[i], 1e-6, "dx[" + i + "] k=" + k + " stride=" + stride);
        }
    }

    @Test void globalAveragePoolByHand() {
        float[] x = {1, 2, 3, 4, -1, -1, -1, 7, 0, 0, 0, 0};     // (N=1, C=3, 2, 2)
        float[] y = new float[3];
        Pool.globalAvgForward(y, x, 1, 3, 2, 2);
        assertArrayEquals(new float[] {2.5f, 1f, 0f}, y);
        float[] dx = new float[12];
        dx[0] = 1;
        Pool.globalAvgBackward(dx, new float[] {4, 8, -2}, 1, 3, 2, 2, true);
        assertArrayEquals(new float[] {2, 1, 1, 1, 2, 2, 2, 2, -0.5f, -0.5f, -0.5f, -0.5f}, dx);
        Pool.globalAvgBackward(dx, new float[] {4, 8, -2}, 1, 3, 2, 2, false);
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, -0.5f, -0.5f, -0.5f, -0.5f}, dx);
    }

    // maxPlaneArgmax + maxPlaneScatter (the codes the fused batch norm keeps) give maxPlane's
    // maxima and maxPlaneBackward's gradient into zeros bit for bit, with ties, ±0 and NaNs,
    // for k = 2 (vector rows when the Vector API is on) and k = 3 (scalar)
    @Test void argmaxCodesReproduceTheRecomputingBackward() {
        for (int k = 2; k <= 3; k++) {
            for (int Q : new int[] {1, 7, 14, 17, 33}) {
                int P = 3, H = k * P, W = k * Q, off = 5;
                float[] x = random(Q + k, off + H * W, -1, 1);
                for (int i = 0; i < x.length; i += 3) x[i] = 0.5f;
                for (int i = 2; i < x.length; i += 11) x[i] = (i & 4) == 0 ? 0f : -0f;
                if (Q % 2 == 1) x[off + W + 1] = Float.NaN;
                float[] dy = random(Q * 7, 2 + P * Q, -1, 1);
                float[] y = new float[2 + P * Q], codes = new float[1 + P * Q], yRef = new float[2 + P * Q];
                Pool.maxPlaneArgmax(y, 2, codes, 1, x, off, H, W, k);
                Pool.maxPlane(yRef, 2, x, off, H, W, k, k);
                float[] dx = random(9, 4 + H * W, -9, 9), dxRef = dx.clone();
                Pool.maxPlaneScatter(dx, 4, dy, 2, codes, 1, H, W, k);
                java.util.Arrays.fill(dxRef, 4, 4 + H * W, 0f);   // the definition: accumulated into zeros
                Pool.maxPlaneBackward(dxRef, 4, dy, 2, x, off, H, W, k, k);
                for (int i = 0; i < y.length; i++) assertEquals(Float.floatToIntBits(yRef[i]), Float.floatToIntBits(y[i]), "k=" + k + " Q=" + Q + " y " + i);
                for (int i = 0; i < dx.length; i++) assertEquals(Float.floatToIntBits(dxRef[i]), Float.floatToIntBits(dx[i]), "k=" + k + " Q=" + Q + " dx " + i);
                for (int i = 1; i < codes.length; i++) assertTrue(codes[i] >= 0 && codes[i] < k * k && codes[i] == (int) codes[i], "code " + codes[i]);
            }
        }
    }

    // The 2×2 stride-2 rows of both twins against Pool.argmax window by window, for row widths
    // around the lane count, with ties, ±0 and NaNs; backward: 0 + dy at the argmax, 0 elsewhere.
    @Test void twoByTwoRowsMatchTheArgmaxDefinition() {
        for (boolean vector : Simd.ENABLED ? new boolean[] {false, true} : new boolean[] {false}) {
            rowsMatchTheArgmaxDefinition(vector);
        }
    }

    private static void rowsMatchTheArgmaxDefinition(boolean vector) {
        for (int Q = 1; Q <= 3 * (vector ? VectorPool.L : 8) + 1; Q++) {
            int W = 2 * Q, H = 4, off = 3;
            float[] x = random(Q, off + H * W, -1, 1);
            for (int i = 0; i < x.length; i += 3) x[i] = 0.25f;           // ties
            for (int i = 1; i < x.length; i += 7) x[i] = (i & 8) == 0 ? 0f : -0f;
            if (Q % 3 == 0) { x[off + 1] = Float.NaN; x[off + W + 2] = Float.NaN; }
            float[] y = new float[Q + 2], dy = random(Q + 100, Q + 2, -1, 1), dx = random(Q + 200, x.length, -9, 9), before = dx.clone();
            dy[1] = -0f;
            for (int p = 0; p < 2; p++) {
                int top = off + 2 * p * W;
                float[] win = new float[Q + 3], y2 = new float[Q + 1];
                if (vector) {
                    VectorPool.maxPool2Row(y, 1, x, top, W, Q);
                    VectorPool.maxPool2RowArgmax(y2, 1, win, 3, x, top, W, Q);
                    VectorPool.maxPool2RowScatter(dx, top, dy, 1, win, 3, W, Q);
                } else {
                    ScalarPool.maxPool2Row(y, 1, x, top, W, Q);
                    ScalarPool.maxPool2RowArgmax(y2, 1, win, 3, x, top, W, Q);
                    ScalarPool.maxPool2RowScatter(dx, top, dy, 1, win, 3, W, Q);
                }
                for (int q = 0; q < Q; q++) {
                    int a = Pool.argmax(x, top + 2 * q, W, 2);
                    assertEquals(Float.floatToIntBits(x[a]), Float.floatToIntBits(y[1 + q]), "Q=" + Q + " q=" + q);
                    assertEquals(Float.floatToIntBits(x[a]), Float.floatToIntBits(y2[1 + q]), "maxima beside the codes, Q=" + Q + " q=" + q);
                    for (int i : new int[] {top + 2 * q, top + 2 * q + 1, top + W + 2 * q, top + W + 2 * q + 1}) {
                        assertEquals(Float.floatToIntBits(i == a ? 0f + dy[1 + q] : 0f), Float.floatToIntBits(dx[i]), "Q=" + Q + " dx " + i);
                    }
                }
            }
            for (int i = 0; i < off; i++) assertEquals(before[i], dx[i], "untouched before the rows");
        }
    }
}
