package dev.tauon.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.tauon.kernel.KernelsTest.random;
import static org.junit.jupiter.api.Assertions.*;

// Conv's grouped fast paths against the per-sample ConvReference, bit for bit, over shapes
// that split into several groups with a short last one, at 1 and 2 threads; backward kernels
// accumulate into random incoming values, so the continued chains are checked too.
class ConvReferenceTest {
    // {N, C, H, W, K, R, S, stride, pad}: stride 1..3, padding 0..2, non-square kernels, C = 1,
    // 1×1 kernels, outputs narrower than a vector, and the SmallConvNet shapes at a small batch
    static final int[][] SHAPES = {
            {43, 1, 28, 28, 32, 3, 3, 1, 1}, {5, 32, 28, 28, 32, 3, 3, 1, 1}, {20, 64, 7, 7, 128, 3, 3, 1, 1},
            {30, 16, 30, 31, 8, 3, 2, 2, 0}, {8, 8, 40, 40, 4, 5, 5, 2, 2}, {50, 2, 60, 50, 3, 4, 2, 3, 1},
            {10, 40, 30, 30, 3, 1, 1, 1, 0}, {6, 2, 6, 5, 3, 2, 3, 1, 0}, {3, 1, 5, 7, 2, 1, 3, 2, 2},
            {4, 1, 9, 20, 13, 3, 3, 1, 1}, {3, 1, 6, 5, 11, 3, 5, 1, 2}, {2, 1, 12, 40, 8, 2, 4, 1, 0},
            // ConvDirect: A panels of 12+8, 12+1 and 9 (edge panels), 12+8+8, 12+12+8+8, dYᵀ panels
            // of 20 and 32+8 columns, non-square kernels, padding 0 and 2; the last shape's
            // rows are too narrow for the direct backward passes (im2col there, direct forward)
            {3, 13, 9, 15, 20, 3, 3, 1, 1}, {2, 9, 7, 30, 13, 3, 5, 1, 2}, {2, 12, 8, 16, 28, 3, 3, 1, 1},
            {3, 20, 10, 18, 40, 3, 3, 1, 0}, {2, 8, 6, 34, 10, 5, 5, 1, 2}, {3, 9, 5, 6, 12, 3, 3, 1, 1}};

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test void shapesSplitIntoSeveralGroupsWithAShortLastOne() {
        int split = 0;
        for (int[] s : SHAPES) {
            int P = Conv.outSize(s[2], s[5], s[7], s[8]), Q = Conv.outSize(s[3], s[6], s[7], s[8]);
            int G = Conv.group(s[0], s[1] * s[5] * s[6], s[4], P * Q);
            if (G > 1 && s[0] > G && s[0] % G != 0) split++;
        }
        assertTrue(split >= 3, "only " + split + " shapes have several groups and a short last one");
    }

    @Test void sameBitsAsThePerSampleReference() {
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[] s : SHAPES) check(s, "threads=" + threads);
        }
    }

    // col2im adds +0 at the taps in the w padding (stride 1, Q = W): bit-safe only because no
    // col value is -0; incoming -0 gradients and dY with exact zeros (dead ReLUs) probe that
    @Test void negativeZeroGradientsKeepTheirBits() {
        for (int[] s : SHAPES) {
            int N = s[0], C = s[1], H = s[2], W = s[3], K = s[4], R = s[5], S = s[6], stride = s[7], pad = s[8];
            int P = Conv.outSize(H, R, stride, pad), Q = Conv.outSize(W, S, stride, pad);
            float[] w = random(7, K * C * R * S, -1, 1), dy = random(8, N * K * P * Q, -1, 1);
            for (int i = 0; i < dy.length; i++) if (i % 7 < 4 || i / (P * Q) % 2 == 0) dy[i] = 0f;
            float[] dx = new float[N * C * H * W], dxRef = new float[dx.length];
            java.util.Arrays.fill(dx, -0f);
            java.util.Arrays.fill(dxRef, -0f);
            Conv.backwardData(dx, dy, w, N, C, H, W, K, R, S, stride, pad);
            if (ConvDirect.appliesBackward(H, W, R, S, stride, pad, C)) ConvReference.backwardDataDirect(dxRef, dy, w, N, C, H, W, K, R, S, pad);
            else ConvReference.backwardData(dxRef, dy, w, N, C, H, W, K, R, S, stride, pad);
            assertArrayEquals(dxRef, dx, "backwardData " + java.util.Arrays.toString(s));
        }
    }

    // the direct C = 1 kernel against its twin: row widths around the vector length (one
    // vector, an overlapping last one, narrower than a vector), K with a tail past 8
    @Test void conv1ForwardMatchesItsTwin() {
        if (!Simd.ENABLED) return;
        for (int Q : new int[] {1, 5, 7, 8, 9, 15, 16, 17, 28, 31, 32, 33}) {
            for (int K : new int[] {1, 8, 13}) {
                int R = 3, S = 3, P = 4, Wp = Q + S - 1;
                float[] xp = random(9, (P + R - 1) * Wp, -1, 1), w = random(10, K * R * S, -1, 1);
                float[] y = new float[3 + K * P * Q], t = new float[y.length];
                VectorGemm.conv1Forward(y, 3, xp, Wp, w, K, R, S, P, Q);
                ScalarGemm.conv1Forward(t, 3, xp, Wp, w, K, R, S, P, Q);
                KernelsTest.assertBits(t, y, "conv1Forward Q=" + Q + " K=" + K);
            }
        }
    }

    static void check(int[] s, String tag) {
        int N = s[0], C = s[1], H = s[2], W = s[3], K = s[4], R = s[5], S = s[6], stride = s[7], pad = s[8];
        int P = Conv.outSize(H, R, stride, pad), Q = Conv.outSize(W, S, stride, pad);
        String at = tag + " {N,C,H,W,K,R,S,stride,pad} = " + java.util.Arrays.toString(s);
        float[] x = random(1, N * C * H * W, -1, 1), w = random(2, K * C * R * S, -1, 1), dy = random(3, N * K * P * Q, -1, 1);
        float[] y = random(4, dy.length, -1, 1), yRef = new float[dy.length];
        Conv.forward(y, x, w, N, C, H, W, K, R, S, stride, pad);
        ConvReference.forward(yRef, x, w, N, C, H, W, K, R, S, stride, pad);
        assertArrayEquals(yRef, y, "forward " + at);
        float[] dx = random(5, x.length, -1, 1), dxRef = dx.clone();
        Conv.backwardData(dx, dy, w, N, C, H, W, K, R, S, stride, pad);
        if (ConvDirect.appliesBackward(H, W, R, S, stride, pad, C)) ConvReference.backwardDataDirect(dxRef, dy, w, N, C, H, W, K, R, S, pad);
        else ConvReference.backwardData(dxRef, dy, w, N, C, H, W, K, R, S, stride, pad);
        assertArrayEquals(dxRef, dx, "backwardData " + at);
        float[] dw = random(6, w.length, -1, 1), dwRef = dw.clone();
        Conv.backwardWeight(dw, x, dy, N, C, H, W, K, R, S, stride, pad);
        ConvReference.backwardWeight(dwRef, x, dy, N, C, H, W, K, R, S, stride, pad);
        assertArrayEquals(dwRef, dw, "backwardWeight " + at);
    }
}
