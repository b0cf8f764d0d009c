package dev.tauon.kernel;

import java.util.ArrayList;
import java.util.List;

import static dev.tauon.kernel.KernelFingerprint.hash;
import static dev.tauon.kernel.KernelFingerprint.input;

// One hash of the raw result bits per CNN kernel (Conv, Pool, Norm) on fixed inputs, sized so
// that every kernel splits into several parallel chunks. Compared across thread counts and,
// in forked JVMs, across vector widths and the scalar twins (dev.tauon.DeterminismTest).
public final class CnnFingerprint {
    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        // {N, C, H, W, K, R, S, stride, pad}
        for (int[] s : new int[][] {{13, 8, 11, 10, 6, 3, 3, 1, 1}, {9, 5, 12, 9, 7, 3, 2, 2, 2}, {6, 40, 5, 5, 3, 1, 1, 1, 0},
                {5, 13, 8, 16, 28, 3, 3, 1, 1}}) {
            int N = s[0], C = s[1], H = s[2], W = s[3], K = s[4], R = s[5], S = s[6], stride = s[7], pad = s[8];
            int P = Conv.outSize(H, R, stride, pad), Q = Conv.outSize(W, S, stride, pad);
            float[] x = input(1, N * C * H * W, -1, 1), w = input(2, K * C * R * S, -1, 1), dy = input(3, N * K * P * Q, -1, 1);
            float[] y = new float[dy.length], dx = input(4, x.length, -1, 1), dw = input(5, w.length, -1, 1), db = input(6, K, -1, 1);
            Conv.forward(y, x, w, N, C, H, W, K, R, S, stride, pad);
            Conv.biasForward(y, db, N, K, P, Q);
            Conv.backwardData(dx, dy, w, N, C, H, W, K, R, S, stride, pad);
            Conv.backwardWeight(dw, x, dy, N, C, H, W, K, R, S, stride, pad);
            Conv.biasBackward(db, dy, N, K, P, Q);
            String tag = "conv " + String.join("x", java.util.Arrays.stream(s).mapToObj(Integer::toString).toList());
            out.add(tag + " y " + hash(y) + " dx " + hash(dx) + " dw " + hash(dw) + " db " + hash(db));
        }
        int N = 16, C = 8, H = 17, W = 18, HW = H * W;
        float[] x = input(7, N * C * HW, -3, 3), dx = input(8, x.length, -1, 1);
        float[] y = new float[N * C * 8 * 9], dy = input(9, y.length, -1, 1);
        Pool.maxForward(y, x, N, C, H, W, 2, 2);
        Pool.maxBackward(dx, dy, x, N, C, H, W, 2, 2, true);
        out.add("maxpool y " + hash(y) + " dx " + hash(dx));
        float[] x2 = java.util.Arrays.copyOf(x, N * C * 16 * 18), y2 = new float[N * C * 8 * 9], dx2 = new float[x2.length];
        Pool.maxForward(y2, x2, N, C, 16, 18, 2, 2);
        Pool.maxBackward(dx2, dy, x2, N, C, 16, 18, 2, 2, false);
        out.add("maxpool tiling y " + hash(y2) + " assigned dx " + hash(dx2));
        float[] g = new float[N * C], dg = input(10, N * C, -1, 1);
        Pool.globalAvgForward(g, x, N, C, H, W);
        Pool.globalAvgBackward(dx, dg, N, C, H, W, true);
        out.add("avgpool y " + hash(g) + " dx " + hash(dx));
        for (int[] s : new int[][] {{16, 8, 17, 18}, {16, 8, 16, 18}, {512, 96, 1, 1}}) {
            int n = s[0], c = s[1], h = s[2], ww = s[3], len = n * c * h * ww;
            float[] xi = input(11, len, -2, 5), gamma = input(12, c, 0.5f, 2), beta = input(13, c, -1, 1);
            float[] yo = new float[len], mean = new float[c], invStd = new float[c];
            float[] runMean = input(14, c, -1, 1), runVar = input(15, c, 0.5f, 2);
            Norm.trainForward(yo, mean, invStd, runMean, runVar, xi, gamma, beta, n, c, h, ww, 0.1f, 1e-5f);
            float[] ye = new float[len], dxi = input(16, len, -1, 1), dgamma = input(17, c, -1, 1), dbeta = input(18, c, -1, 1);
            Norm.evalForward(ye, xi, gamma, beta, runMean, runVar, n, c, h, ww, 1e-5f);
            Norm.backward(dxi, dgamma, dbeta, input(19, len, -1, 1), xi, gamma, mean, invStd, n, c, h, ww);
            out.add("batchnorm " + n + "x" + c + "x" + h + "x" + ww + " y " + hash(yo) + " stats " + hash(mean) + hash(invStd)
                    + " run " + hash(runMean) + hash(runVar) + " eval " + hash(ye) + " dx " + hash(dxi) + " dgb " + hash(dgamma) + hash(dbeta));
            Norm.trainForward(yo, mean, invStd, runMean, runVar, xi, gamma, beta, n, c, h, ww, 0.1f, 1e-5f, Norm.Epilogue.RELU);
            Norm.backward(dxi, dgamma, dbeta, input(19, len, -1, 1), xi, gamma, beta, mean, invStd, n, c, h, ww, Norm.Epilogue.RELU, false);
            out.add("batchnorm+relu y " + hash(yo) + " assigned dx " + hash(dxi) + " dgb " + hash(dgamma) + hash(dbeta));
            if (h % 2 == 0 && ww % 2 == 0) {
                float[] yp = new float[len / 4], codes = new float[len / 4];
                Norm.trainForward(yp, mean, invStd, runMean, runVar, xi, gamma, beta, n, c, h, ww, 0.1f, 1e-5f, new Norm.Epilogue.ReluMaxPool(2, codes));
                Norm.backward(dxi, dgamma, dbeta, input(20, len / 4, -1, 1), xi, gamma, beta, mean, invStd, n, c, h, ww, new Norm.Epilogue.ReluMaxPool(2, codes), false);
                out.add("batchnorm+relu+maxpool y " + hash(yp) + " dx " + hash(dxi) + " dgb " + hash(dgamma) + hash(dbeta));
            }
        }
        return out;
    }
}
