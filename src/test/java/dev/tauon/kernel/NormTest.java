package dev.tauon.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tauon.kernel.KernelsTest.random;
import static org.junit.jupiter.api.Assertions.*;

// Batch norm against hand-computed statistics, a double-precision reference, and central
// differences of that reference for dX, dγ and dβ.
class NormTest {
    @Test void trainForwardByHandForNC() {
        float[] x = {1, 2, 3, 4}, y = new float[4];                         // (N=4, C=1)
        float[] mean = new float[1], invStd = new float[1], runMean = {0}, runVar = {1};
        Norm.trainForward(y, mean, invStd, runMean, runVar, x, new float[] {2}, new float[] {0.5f}, 4, 1, 1, 1, 0.1f, 0f);
        assertEquals(2.5f, mean[0]);                                         // var = 1.25 (biased)
        assertEquals(1 / Math.sqrt(1.25), invStd[0], 1e-7);
        for (int i = 0; i < 4; i++) assertEquals(2 * (x[i] - 2.5) / Math.sqrt(1.25) + 0.5, y[i], 1e-6);
        assertEquals(0.25f, runMean[0], 1e-7);
        assertEquals(0.9 + 0.1 * 5.0 / 3.0, runVar[0], 1e-7);                // unbiased 1.25·4/3
    }

    @Test void trainForwardByHandPerChannelOverNCHW() {
        // (N=2, C=2, H=1, W=2): channel 0 holds 1,3,5,7 (mean 4, var 5); channel 1 10,10,10,14 (mean 11, var 3)
        float[] x = {1, 3, 10, 10, 5, 7, 10, 14}, y = new float[8];
        float[] mean = new float[2], invStd = new float[2], runMean = new float[2], runVar = {1, 1};
        Norm.trainForward(y, mean, invStd, runMean, runVar, x, new float[] {1, 1}, new float[] {0, 0}, 2, 2, 1, 2, 1f, 1e-3f);
        assertArrayEquals(new float[] {4, 11}, mean);
        assertEquals(1 / Math.sqrt(5.001), invStd[0], 1e-7);
        assertEquals(1 / Math.sqrt(3.001), invStd[1], 1e-7);
        assertEquals(-3 / Math.sqrt(5.001), y[0], 1e-6);
        assertEquals(3 / Math.sqrt(3.001), y[7], 1e-6);
        assertArrayEquals(new float[] {20f / 3, 4}, runVar, 1e-6f);           // momentum 1: the batch's unbiased var
    }

    @Test void evalForwardUsesRunningStatistics() {
        float[] y = new float[4];
        Norm.evalForward(y, new float[] {1, 2, 3, 5}, new float[] {2, -1}, new float[] {1, 0}, new float[] {1, 3}, new float[] {4, 0.25f},
                1, 2, 1, 2, 0f);
        assertArrayEquals(new float[] {1, 2, 0, -4}, y);                     // 2(x-1)/2+1, -(x-3)/0.5
    }

    @Test void trainingNeedsTwoValuesPerChannel() {
        float[] one = new float[1];
        assertThrows(IllegalArgumentException.class, () -> Norm.trainForward(one, one, one, one, one, one, one, one, 1, 1, 1, 1, 0.1f, 1e-5f));
    }

    // y = γ(x-mean)/√(var+eps) + β in double; returns Σ y·g
    static double loss(double[] x, double[] gamma, double[] beta, float[] g, int N, int C, int HW, double eps) {
        double L = 0;
        for (int c = 0; c < C; c++) {
            double s = 0, ss = 0, M = N * HW;
            for (int n = 0; n < N; n++) for (int i = 0; i < HW; i++) s += x[(n * C + c) * HW + i];
            double mu = s / M;
            for (int n = 0; n < N; n++) for (int i = 0; i < HW; i++) ss += Math.pow(x[(n * C + c) * HW + i] - mu, 2);
            double sd = Math.sqrt(ss / M + eps);
            for (int n = 0; n < N; n++) for (int i = 0; i < HW; i++) {
                int j = (n * C + c) * HW + i;
                L += (gamma[c] * (x[j] - mu) / sd + beta[c]) * g[j];
            }
        }
        return L;
    }

    static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    @Test void backwardMatchesCentralDifferencesAndAccumulates() {
        for (int[] s : new int[][] {{3, 2, 2, 3}, {5, 3, 1, 1}, {2, 1, 4, 4}}) {
            int N = s[0], C = s[1], H = s[2], W = s[3], HW = H * W, len = N * C * HW;
            float eps = 1e-5f;
            float[] x = random(1, len, -2, 3), gamma = random(2, C, 0.5f, 2), beta = random(3, C, -1, 1), g = random(4, len, -1, 1);
            float[] y = new float[len], mean = new float[C], invStd = new float[C];
            Norm.trainForward(y, mean, invStd, new float[C], new float[C], x, gamma, beta, N, C, H, W, 0.1f, eps);
            double[] xd = widen(x), gd = widen(gamma), bd = widen(beta);
            double L0 = loss(xd, gd, bd, g, N, C, HW, eps), Ly = 0;
            for (int i = 0; i < len; i++) Ly += (double) y[i] * g[i];
            assertEquals(L0, Ly, 1e-5 * len, "forward vs double reference");
            float[] dx = new float[len], dgamma = new float[C], dbeta = new float[C];
            Norm.backward(dx, dgamma, dbeta, g, x, gamma, mean, invStd, N, C, H, W);
            double h = 1e-5;
            for (int i = 0; i < len; i++) {
                double keep = xd[i];
                xd[i] = keep + h; double up = loss(xd, gd, bd, g, N, C, HW, eps);
                xd[i] = keep - h; double down = loss(xd, gd, bd, g, N, C, HW, eps);
                xd[i] = keep;
                assertEquals((up - down) / (2 * h), dx[i], 2e-4, "dx[" + i + "] " + java.util.Arrays.toString(s));
            }
            for (int c = 0; c < C; c++) {
                double keep = gd[c];
                gd[c] = keep + h; double up = loss(xd, gd, bd, g, N, C, HW, eps);
                gd[c] = keep - h; double down = loss(xd, gd, bd, g, N, C, HW, eps);
                gd[c] = keep;
                assertEquals((up - down) / (2 * h), dgamma[c], 2e-4, "dgamma[" + c + "]");
                keep = bd[c];
                bd[c] = keep + h; up = loss(xd, gd, bd, g, N, C, HW, eps);
                bd[c] = keep - h; down = loss(xd, gd, bd, g, N, C, HW, eps);
                bd[c] = keep;
                assertEquals((up - down) / (2 * h), dbeta[c], 2e-4, "dbeta[" + c + "]");
            }
            float[] dx2 = dx.clone(), dgamma2 = dgamma.clone(), dbeta2 = dbeta.clone();
            Norm.backward(dx2, dgamma2, dbeta2, g, x, gamma, mean, invStd, N, C, H, W);
            for (int i = 0; i < len; i++) assertEquals(2 * dx[i], dx2[i], 1e-6f * (1 + Math.abs(dx[i])), "dx twice");
            for (int c = 0; c < C; c++) {
                assertEquals(2 * dgamma[c], dgamma2[c], 1e-6f * (1 + Math.abs(dgamma[c])), "dgamma twice");
                assertEquals(2 * dbeta[c], dbeta2[c], 1e-6f * (1 + Math.abs(dbeta[c])), "dbeta twice");
            }
        }
    }

    // The plane kernels: vector against scalar twin bit for bit over awkward lengths and offsets,
    // and the twin against its definition through dot/sum on a materialised x̂.
    @Test void planeKernelsMatchTwinsAndDefinitions() {
        for (int n : KernelsTest.LENGTHS) {
            float[] x = random(3 * n, n + 3, -2, 5), dy = random(3 * n + 1, n + 3, -1, 1);
            float mu = 1.25f, is = 0.7f, g = 1.5f, b = -0.25f;
            float[] dev = new float[n], xhat = new float[n];
            for (int i = 0; i < n; i++) { dev[i] = x[2 + i] - mu; xhat[i] = dev[i] * is; }
            float twin = ScalarNorm.sumSquaredDeviation(x, 2, n, mu);
            assertEquals(Float.floatToIntBits(ScalarElementwise.dot(dev, 0, dev, 0, n)), Float.floatToIntBits(twin), "definition n=" + n);
            assertEquals(Float.floatToIntBits(twin), Float.floatToIntBits(VectorNorm.sumSquaredDeviation(x, 2, n, mu)), "ssd n=" + n);

            float[] y = new float[n + 3], t = new float[n + 3];
            VectorNorm.normalize(y, 2, x, 2, n, mu, is, g, b, false);
            ScalarNorm.normalize(t, 2, x, 2, n, mu, is, g, b, false);
            KernelsTest.assertBits(t, y, "normalize n=" + n);
            for (int i = 0; i < n; i++) assertEquals(Float.floatToIntBits(Math.fma(g, xhat[i], b)), Float.floatToIntBits(t[2 + i]));

            float[] two = new float[2], twoT = new float[2];
            VectorNorm.sumAndDotXhat(two, dy, 2, x, 2, n, mu, is, g, b, false);
            ScalarNorm.sumAndDotXhat(twoT, dy, 2, x, 2, n, mu, is, g, b, false);
            KernelsTest.assertBits(twoT, two, "sumAndDotXhat n=" + n);
            assertEquals(Float.floatToIntBits(ScalarElementwise.sum(dy, 2, n)), Float.floatToIntBits(twoT[0]));
            float[] dyOff = java.util.Arrays.copyOfRange(dy, 2, 2 + n);
            assertEquals(Float.floatToIntBits(ScalarElementwise.dot(dyOff, 0, xhat, 0, n)), Float.floatToIntBits(twoT[1]));

            float[] dx = random(5 * n, n + 3, -1, 1), dxT = dx.clone();
            VectorNorm.normBackward(dx, 1, dy, 1, x, 1, n, mu, is, 0.9f, 0.1f, -0.3f, g, b, false, true);
            ScalarNorm.normBackward(dxT, 1, dy, 1, x, 1, n, mu, is, 0.9f, 0.1f, -0.3f, g, b, false, true);
            KernelsTest.assertBits(dxT, dx, "normBackward n=" + n);

            // the fused-ReLU and assigning variants against their twins and against the unfused
            // sequence (relu of the output; reluBackward into zeros; accumulate into zeros)
            VectorNorm.normalize(y, 2, x, 2, n, mu, is, g, b, true);
            ScalarNorm.normalize(t, 2, x, 2, n, mu, is, g, b, true);
            KernelsTest.assertBits(t, y, "normalize+relu n=" + n);
            float[] plain = new float[n + 3], r = new float[n + 3];
            ScalarNorm.normalize(plain, 2, x, 2, n, mu, is, g, b, false);
            ScalarElementwise.relu(r, 2, plain, 2, n);
            KernelsTest.assertBits(r, t, "normalize+relu = relu(normalize) n=" + n);
            float[] masked = new float[n + 3];
            ScalarElementwise.reluBackward(masked, 2, plain, 2, dy, 2, n);
            VectorNorm.sumAndDotXhat(two, dy, 2, x, 2, n, mu, is, g, b, true);
            ScalarNorm.sumAndDotXhat(twoT, dy, 2, x, 2, n, mu, is, g, b, true);
            KernelsTest.assertBits(twoT, two, "sumAndDotXhat+relu n=" + n);
            float[] twoU = new float[2];
            ScalarNorm.sumAndDotXhat(twoU, masked, 2, x, 2, n, mu, is, g, b, false);
            KernelsTest.assertBits(twoU, twoT, "sumAndDotXhat+relu = on the masked gradient n=" + n);
            float[] dxU = new float[n + 3], dxV = random(6 * n, n + 3, -1, 1), dxS = dxV.clone();
            ScalarNorm.normBackward(dxU, 2, masked, 2, x, 2, n, mu, is, 0.9f, 0.1f, -0.3f, g, b, false, true);
            VectorNorm.normBackward(dxV, 2, dy, 2, x, 2, n, mu, is, 0.9f, 0.1f, -0.3f, g, b, true, false);
            ScalarNorm.normBackward(dxS, 2, dy, 2, x, 2, n, mu, is, 0.9f, 0.1f, -0.3f, g, b, true, false);
            for (int i = 2; i < 2 + n; i++) {
                assertEquals(Float.floatToIntBits(dxU[i]), Float.floatToIntBits(dxS[i]), "fused assign = unfused accumulate into zeros, i=" + i);
                assertEquals(Float.floatToIntBits(dxS[i]), Float.floatToIntBits(dxV[i]), "normBackward+relu twin, i=" + i);
            }
        }
    }

    // Small planes are walked in memory order with per-plane partials: the same bits as the
    // channel-by-channel walk, forward (with and without ReLU, and with ReLU and max-pool) and
    // backward (accumulating or not).
    @Test void smallPlaneWalkGivesTheChannelWalksBits() {
        int N = 7, C = 5, H = 8, W = 6, len = N * C * H * W;
        float[] x = random(40, len, -2, 5), gamma = random(41, C, 0.5f, 2), beta = random(42, C, -1, 1), dy = random(43, len, -1, 1);
        List<float[]> walks = new java.util.ArrayList<>();
        int saved = Norm.smallPlane;
        try {
            for (int threshold : new int[] {saved, 0}) {
                Norm.smallPlane = threshold;
                for (Norm.Epilogue after : new Norm.Epilogue[] {Norm.Epilogue.NONE, Norm.Epilogue.RELU}) {
                    float[] y = new float[len], mean = new float[C], invStd = new float[C], rm = random(44, C, -1, 1), rv = random(45, C, 0.5f, 2);
                    Norm.trainForward(y, mean, invStd, rm, rv, x, gamma, beta, N, C, H, W, 0.1f, 1e-5f, after);
                    float[] dx = random(46, len, -1, 1), dg = random(47, C, -1, 1), db = random(48, C, -1, 1), dxa = new float[len];
                    Norm.backward(dx, dg, db, dy, x, gamma, beta, mean, invStd, N, C, H, W, after, true);
                    Norm.backward(dxa, dg, db, dy, x, gamma, beta, mean, invStd, N, C, H, W, after, false);
                    walks.addAll(List.of(y, mean, invStd, rm, rv, dx, dg, db, dxa));
                }
                float[] y = new float[len / 4], codes = new float[len / 4], mean = new float[C], invStd = new float[C], rm = random(44, C, -1, 1), rv = random(45, C, 0.5f, 2);
                Norm.trainForward(y, mean, invStd, rm, rv, x, gamma, beta, N, C, H, W, 0.1f, 1e-5f, new Norm.Epilogue.ReluMaxPool(2, codes));
                float[] dx = new float[len], dg = random(47, C, -1, 1), db = random(48, C, -1, 1);
                Norm.backward(dx, dg, db, java.util.Arrays.copyOf(dy, len / 4), x, gamma, beta, mean, invStd, N, C, H, W, new Norm.Epilogue.ReluMaxPool(2, codes), false);
                walks.addAll(List.of(y, mean, invStd, rm, rv, dx, dg, db));
            }
        } finally {
            Norm.smallPlane = saved;
        }
        int half = walks.size() / 2;
        for (int i = 0; i < half; i++) KernelsTest.assertBits(walks.get(half + i), walks.get(i), "result " + i);
    }
}
