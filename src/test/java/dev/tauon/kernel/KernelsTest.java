package dev.tauon.kernel;

import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// Every non-GEMM kernel against its scalar twin, bit for bit, over awkward lengths; and the
// twins themselves against plain double-precision arithmetic.
class KernelsTest {
    static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 63, 65, 127, 129, 255, 257, 1000, 4098, 70001};

    static float[] random(long seed, int n, float lo, float hi) {
        float[] x = new float[n];
        Rng.seeded(seed).fillUniform(x, 0, n, lo, hi);
        return x;
    }

    static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " of " + expected.length + " differs: twin " + expected[i] + ", kernel " + actual[i]);
            }
        }
    }

    @Test void simdIsOnUnderSurefire() {
        // surefire passes --add-modules jdk.incubator.vector, so these tests compare real twins
        assertTrue(Simd.ENABLED, "SIMD should be enabled in tests: " + Simd.REASON);
    }

    @Test void elementwiseMatchTwinsBitForBit() {
        for (int n : LENGTHS) {
            float[] a = random(n, n + 3, -5, 5), b = random(n + 1, n + 3, -5, 5);
            float[] y = new float[n + 3], t = new float[n + 3];
            // offsets of 1, 2, 3 exercise unaligned starts
            Kernels.add(y, 1, a, 2, b, 3, n); ScalarElementwise.add(t, 1, a, 2, b, 3, n); assertBits(t, y, "add n=" + n);
            Kernels.sub(y, 1, a, 2, b, 3, n); ScalarElementwise.sub(t, 1, a, 2, b, 3, n); assertBits(t, y, "sub n=" + n);
            Kernels.mul(y, 1, a, 2, b, 3, n); ScalarElementwise.mul(t, 1, a, 2, b, 3, n); assertBits(t, y, "mul n=" + n);
            Kernels.scale(y, 0, -1.7f, a, 1, n); ScalarElementwise.scale(t, 0, -1.7f, a, 1, n); assertBits(t, y, "scale n=" + n);
            System.arraycopy(b, 0, y, 0, n + 3); System.arraycopy(b, 0, t, 0, n + 3);
            Kernels.axpy(y, 1, 0.3f, a, 0, n); ScalarElementwise.axpy(t, 1, 0.3f, a, 0, n); assertBits(t, y, "axpy n=" + n);
            Kernels.relu(y, 0, a, 0, n); ScalarElementwise.relu(t, 0, a, 0, n); assertBits(t, y, "relu n=" + n);
            System.arraycopy(b, 0, y, 0, n + 3); System.arraycopy(b, 0, t, 0, n + 3);
            Kernels.reluBackward(y, 0, a, 1, b, 2, n); ScalarElementwise.reluBackward(t, 0, a, 1, b, 2, n); assertBits(t, y, "reluBackward n=" + n);
            float[] wide = random(n + 7, n + 3, -120, 95);
            Kernels.exp(y, 0, wide, 0, n); ScalarElementwise.exp(t, 0, wide, 0, n); assertBits(t, y, "exp n=" + n);
            float[] pos = random(n + 9, n + 3, 0, 1e4f);
            Kernels.log(y, 0, pos, 0, n); ScalarElementwise.log(t, 0, pos, 0, n); assertBits(t, y, "log n=" + n);
        }
    }

    @Test void reductionsMatchTwinsBitForBit() {
        for (int n : LENGTHS) {
            float[] a = random(7 * n, n + 2, -3, 3), b = random(7 * n + 1, n + 2, -3, 3);
            assertEquals(Float.floatToIntBits(ScalarElementwise.sum(a, 2, n)), Float.floatToIntBits(Kernels.sum(a, 2, n)), "sum n=" + n);
            assertEquals(Float.floatToIntBits(ScalarElementwise.dot(a, 1, b, 2, n)), Float.floatToIntBits(Kernels.dot(a, 1, b, 2, n)), "dot n=" + n);
            assertEquals(Float.floatToIntBits(ScalarElementwise.max(a, 0, n)), Float.floatToIntBits(Kernels.max(a, 0, n)), "max n=" + n);
        }
    }

    @Test void firstAboveMatchesTwin() {
        for (int n : LENGTHS) {
            float[] x = random(3L * n + 1, n + 2, -1, 1);
            if (n > 5) x[n / 2] = Float.NaN;                       // NaN is never above
            for (float t : new float[] {-2f, 0.5f, 0.99f, 2f, Float.NaN}) {
                for (int from : new int[] {0, 1, Math.max(0, n / 3)}) {
                    int want = ScalarElementwise.firstAbove(x, from, n, t), got = Kernels.firstAbove(x, from, n, t);
                    assertEquals(want, got, "firstAbove n=" + n + " from=" + from + " t=" + t);
                    assertTrue(want == n || x[want] > t, "twin result");
                }
            }
        }
        assertEquals(2, ScalarElementwise.firstAbove(new float[] {1, 2, 3, 1}, 0, 4, 2f));
    }

    @Test void countAndFilterAtLeastMatchTwins() {
        for (int n : LENGTHS) {
            float[] x = random(5L * n + 2, n + 2, -1, 1);
            if (n > 5) { x[n / 2] = Float.NaN; x[n / 3] = -0f; x[1] = 0f; }        // NaN never counts; −0 >= +0
            for (float t : new float[] {Float.NEGATIVE_INFINITY, -0.5f, 0f, 0.9f, 2f, Float.NaN}) {
                int want = ScalarElementwise.countAtLeast(x, 1, n, t);
                assertEquals(want, Kernels.countAtLeast(x, 1, n, t), "countAtLeast n=" + n + " t=" + t);
                float[] wv = new float[n], gv = new float[n];
                int[] wc = new int[n], gc = new int[n];
                assertEquals(want, ScalarElementwise.filterAtLeast(wv, wc, x, 1, n, t), "twin count n=" + n);
                assertEquals(want, Kernels.filterAtLeast(gv, gc, x, 1, n, t), "filterAtLeast n=" + n + " t=" + t);
                assertBits(java.util.Arrays.copyOf(wv, want), java.util.Arrays.copyOf(gv, want), "filterAtLeast values n=" + n + " t=" + t);
                assertArrayEquals(java.util.Arrays.copyOf(wc, want), java.util.Arrays.copyOf(gc, want), "filterAtLeast columns n=" + n + " t=" + t);
                for (int i = 0; i < want; i++) assertTrue(x[1 + wc[i]] >= t && (i == 0 || wc[i] > wc[i - 1]), "twin result");
            }
        }
        float[] v = new float[4];
        int[] c = new int[4];
        assertEquals(2, ScalarElementwise.filterAtLeast(v, c, new float[] {1, 3, -0f, 2}, 0, 4, 2f));
        assertArrayEquals(new int[] {1, 3}, java.util.Arrays.copyOf(c, 2));
        assertEquals(2, ScalarElementwise.countAtLeast(new float[] {-0f, 0f, -1f}, 0, 3, 0f));
    }

    @Test void rowAndColumnKernelsMatchTwins() {
        int[][] shapes = {{1, 1}, {3, 17}, {17, 3}, {5, 33}, {64, 1000}, {2, 4098}, {300, 129}, {1, 0}, {0, 5}};
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1];
            float[] x = random(rows * 31L + cols, rows * cols, -20, 20);
            float[] y = new float[rows * cols], t = new float[rows * cols];
            Kernels.softmaxRows(y, 0, x, 0, rows, cols); ScalarElementwise.softmaxRows(t, 0, x, 0, rows, cols);
            assertBits(t, y, "softmax " + rows + "x" + cols);
            Kernels.logSoftmaxRows(y, 0, x, 0, rows, cols);
            ScalarElementwise.logSoftmaxRows(t, 0, x, 0, rows, cols, new float[cols]);
            assertBits(t, y, "logSoftmax " + rows + "x" + cols);
            float[] r1 = new float[rows], r2 = new float[rows];
            Kernels.sumRows(r1, 0, x, 0, rows, cols); ScalarElementwise.sumRows(r2, 0, x, 0, rows, cols);
            assertBits(r2, r1, "sumRows " + rows + "x" + cols);
            float[] c1 = new float[cols], c2 = new float[cols];
            Kernels.sumCols(c1, 0, x, 0, rows, cols); ScalarElementwise.sumCols(c2, 0, x, 0, rows, cols);
            assertBits(c2, c1, "sumCols " + rows + "x" + cols);
        }
    }

    @Test void softmaxMayWorkInPlace() {
        float[] x = random(5, 3 * 40, -4, 4), expect = new float[x.length];
        Kernels.softmaxRows(expect, 0, x, 0, 3, 40);
        Kernels.softmaxRows(x, 0, x, 0, 3, 40);
        assertBits(expect, x, "in-place softmax");
    }

    @Test void twinsAgreeWithDoubleArithmetic() {
        float[] x = random(11, 1000, -3, 3);
        double s = 0;
        for (float v : x) s += v;
        assertEquals(s, ScalarElementwise.sum(x, 0, x.length), 1e-3);
        // a hand-checked softmax row: (0, ln 2, ln 3) -> (1/6, 2/6, 3/6)
        float[] row = {0f, (float) Math.log(2), (float) Math.log(3)}, p = new float[3];
        ScalarElementwise.softmaxRows(p, 0, row, 0, 1, 3);
        assertArrayEquals(new float[] {1f / 6, 2f / 6, 3f / 6}, p, 1e-6f);
        ScalarElementwise.logSoftmaxRows(p, 0, row, 0, 1, 3, new float[3]);
        assertArrayEquals(new float[] {(float) Math.log(1 / 6.0), (float) Math.log(2 / 6.0), (float) Math.log(3 / 6.0)}, p, 1e-6f);
        float[] cols = new float[2];
        ScalarElementwise.sumCols(cols, 0, new float[] {1, 2, 3, 4, 5, 6}, 0, 3, 2);
        assertArrayEquals(new float[] {9, 12}, cols);
    }

    @Test void softmaxIsStableForHugeLogits() {
        float[] x = {1000f, 999f, -1000f}, p = new float[3];
        Kernels.softmaxRows(p, 0, x, 0, 1, 3);
        assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-6);
        assertEquals(0f, p[2]);
        Kernels.logSoftmaxRows(p, 0, x, 0, 1, 3);
        assertEquals(-Math.log1p(Math.exp(-1)), p[0], 1e-5);
        assertEquals(-2000 - Math.log1p(Math.exp(-1)), p[2], 1e-2);
    }

    @Test void expIsWithinTwoUlpsOfMathExp() {
        for (float x = -103f; x < 88.7f; x += 0.00731f) {
            float e = (float) Math.exp(x), got = ScalarElementwise.exp(x);
            assertTrue(Math.abs(got - e) <= 2 * Math.ulp(e), "exp(" + x + ") = " + got + ", expected " + e);
        }
        assertEquals(1f, ScalarElementwise.exp(0f));
        assertEquals(0f, ScalarElementwise.exp(-200f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarElementwise.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarElementwise.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, ScalarElementwise.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(ScalarElementwise.exp(Float.NaN)));
    }

    @Test void logIsWithinTwoUlpsOfMathLog() {
        for (float x = 1e-30f; x < 1e30f; x *= 1.0173f) {
            float e = (float) Math.log(x), got = ScalarElementwise.log(x);
            assertTrue(Math.abs(got - e) <= 2 * Math.ulp(e), "log(" + x + ") = " + got + ", expected " + e);
        }
        float sub = Float.MIN_NORMAL / 1000;
        assertEquals(Math.log(sub), ScalarElementwise.log(sub), 1e-4);
        assertEquals(0f, ScalarElementwise.log(1f));
        assertEquals(Float.NEGATIVE_INFINITY, ScalarElementwise.log(0f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarElementwise.log(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(ScalarElementwise.log(-1f)));
        assertTrue(Float.isNaN(ScalarElementwise.log(Float.NaN)));
        float[] special = {0f, -0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, sub, 1f, Float.MIN_VALUE, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        float[] y = new float[special.length], t = new float[special.length];
        Kernels.log(y, 0, special, 0, special.length);
        ScalarElementwise.log(t, 0, special, 0, special.length);
        assertBits(t, y, "log special values");
        float[] ex = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -104.5f, 88.9f, 0f, -0f, 1e-8f, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Kernels.exp(y, 0, ex, 0, ex.length);
        ScalarElementwise.exp(t, 0, ex, 0, ex.length);
        assertBits(t, y, "exp special values");
    }

    // Row normalisation: unit rows against a double reference, the clamped norms returned, a zero
    // row left zero, in place the same bits as out of place, rows past n untouched
    @Test void normalizeRowsPutsRowsOnTheUnitSphere() {
        int n = 5, d = 37, off = 3;
        float[] x = random(60, off + n * d + 4, -2, 2);
        java.util.Arrays.fill(x, off + 2 * d, off + 3 * d, 0f);
        float[] y = new float[x.length], norms = new float[n], inPlace = x.clone();
        Kernels.normalizeRows(y, norms, x, off, n, d, 1e-12f);
        Kernels.normalizeRows(inPlace, null, inPlace, off, n, d, 1e-12f);
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int j = 0; j < d; j++) sq += (double) x[off + i * d + j] * x[off + i * d + j];
            assertEquals(Math.max(Math.sqrt(sq), 1e-12), norms[i], 1e-6 * Math.sqrt(sq) + 1e-12, "norm " + i);
            for (int j = 0; j < d; j++) {
                double want = sq == 0 ? 0 : x[off + i * d + j] / Math.sqrt(sq);
                assertEquals(want, y[off + i * d + j], 1e-6, "row " + i + " col " + j);
            }
        }
        for (int i = off; i < off + n * d; i++) assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(inPlace[i]), "in place, element " + i);
        assertEquals(x[0], inPlace[0]);
        assertEquals(x[x.length - 1], inPlace[x.length - 1]);
    }
}
