package dev.tauon.kernel;

import dev.tauon.tensor.Rng;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

// Gemm (packed, blocked, parallel) against its canonical twin ScalarGemm.gemm, bit for bit,
// over transposes, alpha/beta, strides, offsets and awkward shapes; against EJML within a
// tolerance; and against a product worked by hand.
class GemmTest {
    static final float[] SCALARS = {0f, 1f, -0.5f, 2f};
    static final int[] AWKWARD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
            31, 33, 63, 65, 127, 129, 255, 257};

    // One product in a padded layout: lda/ldb/ldc wider than the rows, operands at offsets.
    record Case(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta, int pad, int off) {
        int lda() { return (transA ? m : k) + pad; }
        int ldb() { return (transB ? k : n) + pad; }
        int ldc() { return n + pad; }
        int aSize() { return off + lda() * (transA ? k : m); }
        int bSize() { return off + ldb() * (transB ? n : k); }
        int cSize() { return off + ldc() * m; }
    }

    // Returns {fast, twin} results for one case, on inputs drawn from seed.
    static float[][] both(Case t, long seed) {
        Rng rng = Rng.seeded(seed);
        float[] a = new float[t.aSize()], b = new float[t.bSize()], c = new float[t.cSize()];
        rng.split(1).fillUniform(a, 0, a.length, -1, 1);
        rng.split(2).fillUniform(b, 0, b.length, -1, 1);
        rng.split(3).fillUniform(c, 0, c.length, -1, 1);
        if (t.beta == 0f) Arrays.fill(c, Float.NaN);   // beta == 0 must never read C
        float[] fast = c.clone(), twin = c.clone();
        Gemm.gemm(fast, t.off, t.ldc(), a, t.off, t.lda(), t.transA, b, t.off, t.ldb(), t.transB, t.m, t.n, t.k, t.alpha, t.beta);
        ScalarGemm.gemm(twin, t.off, t.ldc(), a, t.off, t.lda(), t.transA, b, t.off, t.ldb(), t.transB, t.m, t.n, t.k, t.alpha, t.beta);
        return new float[][] {fast, twin};
    }

    static void assertBitExact(Case t, long seed) {
        float[][] r = both(t, seed);
        int[] fast = bits(r[0]), twin = bits(r[1]);
        if (!Arrays.equals(fast, twin)) {
            int i = Arrays.mismatch(fast, twin);
            fail(t + ": element " + i + " is " + r[0][i] + ", twin has " + r[1][i]);
        }
    }

    static int[] bits(float[] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Float.floatToIntBits(x[i]);
        return out;
    }

    @Test void handComputedProduct() {
        // A = [1 2 3; 4 5 6], B = [7 8; 9 10; 11 12], C = [1 1; 1 1]
        // 2·A·B = 2·[58 64; 139 154]; + (-0.5)·C
        float[] a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, c = {1, 1, 1, 1};
        Kernels.gemm(c, 0, 2, a, 0, 3, false, b, 0, 2, false, 2, 2, 3, 2f, -0.5f);
        assertArrayEquals(new float[] {115.5f, 127.5f, 277.5f, 307.5f}, c);
    }

    @Test void everyTransposeAndScalarMatchesTwinBitForBit() {
        long seed = 1;
        for (boolean ta : new boolean[] {false, true}) for (boolean tb : new boolean[] {false, true}) {
            for (float alpha : SCALARS) for (float beta : SCALARS) {
                assertBitExact(new Case(37, 70, 300, ta, tb, alpha, beta, 3, 5), seed++);
                assertBitExact(new Case(13, 33, 9, ta, tb, alpha, beta, 0, 0), seed++);
            }
        }
    }

    @Test void awkwardShapesMatchTwinBitForBit() {
        long seed = 100;
        for (int s : AWKWARD) {
            boolean ta = s % 2 == 1, tb = s % 3 == 0;
            assertBitExact(new Case(s, s, s, ta, tb, -0.5f, 2f, 1, 3), seed++);
            assertBitExact(new Case(s, 17, 31, !ta, tb, 1f, 0f, 0, 0), seed++);
            assertBitExact(new Case(33, s, 65, ta, !tb, 2f, 1f, 2, 1), seed++);
            assertBitExact(new Case(12, 32, s, ta, tb, 1f, -0.5f, 0, 7), seed++);
        }
        assertBitExact(new Case(1000, 33, 65, false, false, 1f, 0f, 0, 0), seed++);
        assertBitExact(new Case(31, 1000, 63, true, false, 2f, 1f, 5, 2), seed++);
        assertBitExact(new Case(65, 129, 1000, false, true, -0.5f, -0.5f, 1, 1), seed++);
        assertBitExact(new Case(257, 255, 127, true, true, 1f, 2f, 0, 0), seed++);
    }

    @Test void tallSkinnyAndDeepMatchTwin() {
        assertBitExact(new Case(4096, 64, 64, false, false, 1f, 0f, 0, 0), 7);
        assertBitExact(new Case(64, 64, 4096, false, true, 1f, 1f, 0, 0), 8);
        assertBitExact(new Case(64, 64, 4096, true, false, 2f, 0f, 3, 1), 9);
    }

    // m % 12 of 8 or 4 (Conv's 32, 64, 128): panels of 8 rows through gemmMicro's 8-row form, B in place
    @Test void eightRowPanelsMatchTwin() {
        long seed = 300;
        for (int m : new int[] {8, 20, 32, 40, 64, 100, 128}) {
            assertBitExact(new Case(m, 96, 288, false, false, 1f, 0f, 0, 0), seed++);
            assertBitExact(new Case(m, 100, 600, true, false, -0.5f, 1f, 1, 2), seed++);
            assertBitExact(new Case(m, 64, 40, false, true, 2f, -0.5f, 0, 3), seed++);
        }
    }

    // n <= 2·NR, untransposed A, alpha = 1: full A panels read in place (Conv.backwardWeight's
    // col · dYᵀ), partial row panels and edge columns still through the packed path
    @Test void narrowProductsMatchTwin() {
        long seed = 400;
        for (int n : new int[] {1, 32, 45, 64, 128}) {
            assertBitExact(new Case(144, n, 784, false, true, 1f, 1f, 0, 0), seed++);
            assertBitExact(new Case(100, n, 300, false, false, 1f, 0f, 1, 2), seed++);
            assertBitExact(new Case(9, n, 600, false, true, 1f, -0.5f, 3, 1), seed++);
        }
    }

    // The plain form of a micro-kernel on `rows` rows of A, A(i, p) = ap[aOff + i·ars + p·aps]
    // (a packed panel: ars = 1, aps = MR; A in place: ars = lda, aps = 1), and nr columns, B row p
    // at bp[bOff + bRow[p]]: C[i,j] = fma(A(i, p), B(p, j), C[i,j]) for p = 0..kc-1, from the
    // stored C or from 0 when !load. The definition every micro-kernel twin is held to.
    static void plainMicro(int rows, int nr, float[] c, int cOff, int ldc, float[] ap, int aOff, int ars, int aps,
                           float[] bp, int bOff, int[] bRow, int kc, boolean load) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < nr; j++) {
                float cij = load ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < kc; p++) cij = Math.fma(ap[aOff + i * ars + p * aps], bp[bOff + bRow[p] + j], cij);
                c[cOff + i * ldc + j] = cij;
            }
        }
    }

    static int[] strided(int kc, int ldb) {
        int[] rows = new int[kc];
        for (int p = 0; p < kc; p++) rows[p] = p * ldb;
        return rows;
    }

    // The micro-kernels of both twins against their plain form, B read with a row stride other than NR
    @Test void microKernelsMatchPlainForm() {
        int mr = Twins.MR, nr = Twins.NR, kc = 37, ldb = nr + 5, ldc = nr + 3;
        float[] ap = KernelsTest.random(1, mr * kc + 2, -1, 1), bp = KernelsTest.random(2, ldb * kc + nr, -1, 1);
        for (boolean vector : Simd.ENABLED ? new boolean[] {false, true} : new boolean[] {false}) {
            String twin = vector ? "VectorGemm." : "ScalarGemm.";
            for (boolean load : new boolean[] {false, true}) {
                for (int rows : mr == 12 ? new int[] {mr, 8} : new int[] {mr}) {
                    float[] c = KernelsTest.random(3, mr * ldc + 1, -1, 1), t = c.clone();
                    if (vector) VectorGemm.gemmMicro(rows, c, 1, ldc, ap, 2, bp, 4, ldb, kc, load);
                    else ScalarGemm.gemmMicro(rows, c, 1, ldc, ap, 2, bp, 4, ldb, kc, load);
                    plainMicro(rows, nr, t, 1, ldc, ap, 2, 1, mr, bp, 4, strided(kc, ldb), kc, load);
                    KernelsTest.assertBits(t, c, twin + "gemmMicro rows=" + rows + " load=" + load);
                }
                float[] c = KernelsTest.random(3, mr * ldc + 1, -1, 1), t = c.clone();
                int lda = kc + 7;   // A in place: rows lda apart, contiguous along p
                int[] rows = new int[mr];
                for (int r = 0; r < mr; r++) rows[r] = r * lda;
                if (vector) VectorGemm.gemmMicroAOff(c, 1, ldc, bp, rows, 0, 3, ap, 2, nr, 5, load);
                else ScalarGemm.gemmMicroAOff(c, 1, ldc, bp, rows, 0, 3, ap, 2, nr, 5, load);
                plainMicro(mr, nr, t, 1, ldc, bp, 3, lda, 1, ap, 2, strided(5, nr), 5, load);
                KernelsTest.assertBits(t, c, twin + "gemmMicroAOff, rows lda apart, load=" + load);
            }
        }
    }

    // ConvDirect's kernels: B rows (or A rows) at irregular offsets, as the windows of a padded
    // plane give them, overlapping and out of order; both twins against the plain form
    @Test void offsetTableKernelsMatchTheirTwins() {
        int mr = Twins.MR, nr = Twins.NR, kc = 29, ldc = nr + 3;
        float[] ap = KernelsTest.random(4, mr * kc + 2, -1, 1), plane = KernelsTest.random(5, 400, -1, 1);
        int[] off = new int[kc + 1];
        for (int p = 0; p <= kc; p++) off[p] = (p * 37) % 300;
        int[] shifted = java.util.Arrays.copyOfRange(off, 1, kc + 1);
        for (boolean vector : Simd.ENABLED ? new boolean[] {false, true} : new boolean[] {false}) {
            String twin = vector ? "VectorGemm." : "ScalarGemm.";
            for (boolean load : new boolean[] {false, true}) {
                for (int rows : mr == 12 ? new int[] {mr, 8} : new int[] {mr}) {
                    float[] c = KernelsTest.random(6, mr * ldc + 1, -1, 1), t = c.clone();
                    if (vector) VectorGemm.gemmMicroOff(rows, c, 1, ldc, ap, 2, plane, 7, off, 1, kc, load);
                    else ScalarGemm.gemmMicroOff(rows, c, 1, ldc, ap, 2, plane, 7, off, 1, kc, load);
                    plainMicro(rows, nr, t, 1, ldc, ap, 2, 1, mr, plane, 7, shifted, kc, load);
                    KernelsTest.assertBits(t, c, twin + "gemmMicroOff rows=" + rows + " load=" + load);
                }
                int[] rows = new int[mr + 2];
                for (int r = 0; r < rows.length; r++) rows[r] = (r * 53) % 250;
                float[] bp = KernelsTest.random(7, nr * kc + 3, -1, 1);
                float[] c = KernelsTest.random(6, mr * ldc + 1, -1, 1), t = c.clone();
                if (vector) VectorGemm.gemmMicroAOff(c, 1, ldc, plane, rows, 2, 9, bp, 3, nr, kc, load);
                else ScalarGemm.gemmMicroAOff(c, 1, ldc, plane, rows, 2, 9, bp, 3, nr, kc, load);
                for (int i = 0; i < mr; i++) plainMicro(1, nr, t, 1 + i * ldc, ldc, plane, rows[2 + i] + 9, 0, 1, bp, 3, strided(kc, nr), kc, load);
                KernelsTest.assertBits(t, c, twin + "gemmMicroAOff load=" + load);
            }
        }
    }

    // The packing twins against each other and their definitions: a full A panel (alpha folded
    // in), a full panel of transposed B, untransposed B rows into panels
    @Test void packingTwinsMatch() {
        int mr = Twins.MR, nr = Twins.NR, kb = 41, lda = kb + 3, ldb = kb + 5;
        float alpha = -0.75f;
        float[] a = KernelsTest.random(10, 2 + mr * lda, -1, 1), b = KernelsTest.random(11, 3 + nr * ldb, -1, 1);
        float[] want = new float[1 + mr * kb];
        for (int p = 0; p < kb; p++) for (int r = 0; r < mr; r++) want[1 + p * mr + r] = alpha * a[2 + r * lda + p];
        float[] w = new float[want.length];
        ScalarGemm.gemmPackA(w, 1, a, 2, lda, kb, alpha, ScalarGemm.gemmPackIndex(lda));
        KernelsTest.assertBits(want, w, "ScalarGemm.gemmPackA");
        float[] wantT = new float[nr * kb];
        for (int p = 0; p < kb; p++) for (int j = 0; j < nr; j++) wantT[p * nr + j] = b[3 + j * ldb + p];
        float[] bt = new float[wantT.length];
        ScalarGemm.gemmPackColumns(bt, 0, b, 3, kb, Gemm.columnIndex(ldb));
        KernelsTest.assertBits(wantT, bt, "ScalarGemm.gemmPackColumns");
        float[] rowPanels = new float[3 * nr * 2], rowWant = new float[rowPanels.length];
        for (int q = 0; q < 3; q++) for (int j = 0; j < nr; j++) rowWant[1 + q * 2 * nr + j] = b[5 + q * nr + j];
        ScalarGemm.gemmPackRow(rowPanels, 1, 2 * nr, b, 5, 3);
        KernelsTest.assertBits(rowWant, rowPanels, "ScalarGemm.gemmPackRow");
        if (!Simd.ENABLED) return;
        float[] v = new float[want.length];
        VectorGemm.gemmPackA(v, 1, a, 2, lda, kb, alpha, VectorGemm.gemmPackIndex(lda));
        KernelsTest.assertBits(want, v, "VectorGemm.gemmPackA");
        float[] vt = new float[wantT.length];
        VectorGemm.gemmPackColumns(vt, 0, b, 3, kb, Gemm.columnIndex(ldb));
        KernelsTest.assertBits(wantT, vt, "VectorGemm.gemmPackColumns");
        float[] vr = new float[rowPanels.length];
        VectorGemm.gemmPackRow(vr, 1, 2 * nr, b, 5, 3);
        KernelsTest.assertBits(rowWant, vr, "VectorGemm.gemmPackRow");
    }

    // ConvDirect's tile store: row r's lanes kept by the masks land in order at firstA / firstB of
    // y's row r (added with acc), everything else in y untouched; masks empty, full and gappy; both twins
    @Test void storeCompressedMatchesItsDefinition() {
        int L = Twins.NR / 2, nr = Twins.NR, rows = 5, ldy = 3 * nr;
        long full = L == 64 ? -1L : (1L << L) - 1;
        long[][] masks = {{full, full}, {0, full}, {full, 0}, {0x5L & full, full & ~1L}, {full >>> 1, full & ~(1L << (L / 2))}};
        float[] tile = KernelsTest.random(8, rows * nr, -1, 1);
        for (long[] m : masks) {
            for (boolean acc : new boolean[] {false, true}) {
                int firstA = 2, firstB = firstA + Long.bitCount(m[0]);
                float[] y = KernelsTest.random(9, 1 + rows * ldy, -1, 1), want = y.clone();
                for (int r = 0; r < rows; r++) {
                    int o = 1 + r * ldy;
                    for (int h = 0, at = o + firstA; h < 2; h++) {
                        for (int l = 0; l < L; l++) {
                            if ((m[h] >>> l & 1) == 0) continue;
                            float v = tile[r * nr + h * L + l];
                            want[at] = acc ? want[at] + v : v;
                            at++;
                        }
                    }
                }
                String what = " masks " + Long.toHexString(m[0]) + "/" + Long.toHexString(m[1]) + " acc=" + acc;
                float[] s = y.clone();
                ScalarGemm.storeCompressed(s, 1, ldy, tile, rows, m[0], m[1], firstA, firstB, acc);
                KernelsTest.assertBits(want, s, "ScalarGemm.storeCompressed" + what);
                if (!Simd.ENABLED) continue;
                VectorGemm.storeCompressed(y, 1, ldy, tile, rows, m[0], m[1], firstA, firstB, acc);
                KernelsTest.assertBits(want, y, "VectorGemm.storeCompressed" + what);
            }
        }
    }

    @Test void blockBoundariesInEveryDimension() {
        // n above Gemm.NC (several B blocks per task), m above MC·MR (several A blocks),
        // k above KC (the chain continues from C across depth blocks)
        assertBitExact(new Case(3, 5000, 1000, false, false, 1f, 1f, 0, 0), 10);
        assertBitExact(new Case(14, 4500, 700, true, true, -0.5f, 0f, 1, 2), 11);
        assertBitExact(new Case(700, 40, 513, false, true, 2f, -0.5f, 3, 0), 12);
    }

    @Test void zeroSizes() {
        for (float beta : SCALARS) {
            assertBitExact(new Case(0, 5, 7, false, false, 1f, beta, 1, 1), 20);
            assertBitExact(new Case(5, 0, 7, true, false, 1f, beta, 1, 1), 21);
            assertBitExact(new Case(40, 50, 0, false, true, 2f, beta, 1, 1), 22);
        }
        // k == 0: C = beta·C exactly, and zeros (not NaN) when beta == 0
        float[] c = {1f, 2f, Float.NaN, 4f};
        Kernels.gemm(c, 0, 2, new float[0], 0, 1, false, new float[0], 0, 2, false, 2, 2, 0, 1f, 0f);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, c);
        c = new float[] {1f, 2f, 3f, 4f};
        Kernels.gemm(c, 0, 2, new float[0], 0, 1, false, new float[0], 0, 2, false, 2, 2, 0, 1f, -0.5f);
        assertArrayEquals(new float[] {-0.5f, -1f, -1.5f, -2f}, c);
    }

    @Test void paddingOutsideTheProductIsUntouched() {
        Case t = new Case(29, 45, 70, false, false, 1f, 0f, 4, 6);
        float[] fast = both(t, 30)[0];
        for (int i = 0; i < t.off; i++) assertTrue(Float.isNaN(fast[i]), "before offset");
        for (int i = 0; i < t.m; i++) {
            for (int j = t.n; j < t.ldc(); j++) assertTrue(Float.isNaN(fast[t.off + i * t.ldc() + j]), "row padding");
        }
    }

    @Test void sameBitsForAnyThreadCount() {
        int before = Parallel.threads();
        try {
            Case[] cases = {new Case(301, 257, 600, false, false, 1f, 0f, 0, 0),
                    new Case(100, 700, 300, true, true, -0.5f, 2f, 3, 1),
                    new Case(9, 1000, 65, false, true, 2f, 1f, 0, 0)};
            for (Case t : cases) {
                Parallel.setThreads(1);
                int[] ref = bits(both(t, 40)[0]);
                for (int threads : new int[] {2, 3, 8}) {
                    Parallel.setThreads(threads);
                    assertArrayEquals(ref, bits(both(t, 40)[0]), t + " with " + threads + " threads");
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test void agreesWithEjmlForEveryTranspose() {
        Rng rng = Rng.seeded(50);
        int m = 70, n = 45, k = 130;
        for (boolean ta : new boolean[] {false, true}) for (boolean tb : new boolean[] {false, true}) {
            for (float alpha : SCALARS) for (float beta : SCALARS) {
                FMatrixRMaj a = random(rng.split(1), ta ? k : m, ta ? m : k);
                FMatrixRMaj b = random(rng.split(2), tb ? n : k, tb ? k : n);
                FMatrixRMaj c0 = random(rng.split(3), m, n);
                FMatrixRMaj ab = new FMatrixRMaj(m, n);
                if (!ta && !tb) CommonOps_FDRM.mult(alpha, a, b, ab);
                else if (ta && !tb) CommonOps_FDRM.multTransA(alpha, a, b, ab);
                else if (!ta) CommonOps_FDRM.multTransB(alpha, a, b, ab);
                else CommonOps_FDRM.multTransAB(alpha, a, b, ab);
                float[] c = c0.data.clone();
                Kernels.gemm(c, 0, n, a.data, 0, a.numCols, ta, b.data, 0, b.numCols, tb, m, n, k, alpha, beta);
                for (int i = 0; i < m * n; i++) {
                    float expect = ab.data[i] + beta * c0.data[i];
                    assertEquals(expect, c[i], 1e-5f * k * (1 + Math.abs(expect)), "ta=" + ta + " tb=" + tb + " alpha=" + alpha + " beta=" + beta + " at " + i);
                }
            }
        }
    }

    static FMatrixRMaj random(Rng rng, int rows, int cols) {
        FMatrixRMaj x = new FMatrixRMaj(rows, cols);
        rng.fillUniform(x.data, 0, rows * cols, -1, 1);
        return x;
    }

    @Test void badShapesAreReportedWithTheShapes() {
        float[] a = new float[12], b = new float[12], c = new float[12];
        var e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(c, 0, 4, a, 0, 2, false, b, 0, 4, false, 3, 4, 4, 1f, 0f));
        assertEquals("gemm: A is (3, 4) but its leading dimension is 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(c, 0, 4, a, 0, 3, false, b, 1, 4, false, 3, 4, 3, 1f, 0f));
        assertEquals("gemm: B (3, 4) with ld 4 at offset 1 needs 13 elements, array has 12", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(c, 0, 4, a, 0, 3, false, b, 0, 4, false, -1, 4, 3, 1f, 0f));
        assertEquals("gemm: negative size m=-1 n=4 k=3", e.getMessage());
    }
}
