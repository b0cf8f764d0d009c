package dev.tauon.kernel;

import dev.tauon.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

// Computes every kernel on fixed pseudo-random inputs: one hash of the raw result bits per
// kernel. With other thread counts, vector widths or SIMD off the lines must be identical
// (dev.tauon.DeterminismTest).
public final class KernelFingerprint {
    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("simd-agnostic kernels");
        int n = 70_001;
        float[] a = input(1, n, -5, 5), b = input(2, n, -5, 5), y = new float[n];
        Kernels.add(y, 0, a, 0, b, 0, n); out.add("add " + hash(y));
        Kernels.mul(y, 0, a, 0, b, 0, n); out.add("mul " + hash(y));
        Kernels.axpy(y, 0, 0.37f, a, 0, n); out.add("axpy " + hash(y));
        Kernels.relu(y, 0, a, 0, n); out.add("relu " + hash(y));
        Kernels.reluBackward(y, 0, a, 0, b, 0, n); out.add("reluBackward " + hash(y));
        Kernels.exp(y, 0, a, 0, n); out.add("exp " + hash(y));
        Kernels.log(y, 0, y, 0, n); out.add("log " + hash(y));
        out.add("sum " + Float.floatToIntBits(Kernels.sum(a, 3, n - 3)));
        out.add("dot " + Float.floatToIntBits(Kernels.dot(a, 1, b, 0, n - 1)));
        int rows = 129, cols = 541;
        Kernels.softmaxRows(y, 0, a, 0, rows, cols); out.add("softmax " + hash(y));
        Kernels.logSoftmaxRows(y, 0, a, 0, rows, cols); out.add("logSoftmax " + hash(y));
        float[] r = new float[cols];
        Kernels.sumRows(r, 0, a, 0, rows, cols); out.add("sumRows " + hash(r));
        Kernels.sumCols(r, 0, a, 0, rows, cols); out.add("sumCols " + hash(r));
        int[][] shapes = {{1, 1, 1}, {17, 33, 65}, {257, 129, 255}, {64, 4096, 64}, {300, 200, 1000}};
        for (int[] s : shapes) {
            int m = s[0], nn = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                float[] A = input(m * 7L + t, m * k, -1, 1), B = input(k * 11L + t, k * nn, -1, 1), C = input(5, m * nn, -1, 1);
                Kernels.gemm(C, 0, nn, A, 0, ta ? m : k, ta, B, 0, tb ? k : nn, tb, m, nn, k, 0.75f, 0.5f);
                out.add("gemm " + m + "x" + nn + "x" + k + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + hash(C));
            }
        }
        return out;
    }

    static float[] input(long seed, int n, float lo, float hi) {
        float[] x = new float[n];
        Rng.seeded(seed).fillUniform(x, 0, n, lo, hi);
        return x;
    }

    static String hash(float[] x) {
        long h = 1125899906842597L;
        for (float v : x) h = 31 * h + Float.floatToRawIntBits(v);
        return Long.toHexString(h);
    }
}
