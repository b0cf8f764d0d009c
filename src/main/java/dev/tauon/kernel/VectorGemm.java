package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.tauon.kernel.VectorElementwise.L;
import static dev.tauon.kernel.VectorElementwise.S;

// The Vector API twins of ScalarGemm: the GEMM micro-kernels and packing that Gemm drives,
// ConvDirect's implicit-GEMM kernels, and the direct convolution with one input channel. Each
// C element is its twin's chain, fma(A(i,p), B(p,j), c) for p in order: vectorised along j only.
final class VectorGemm {
    private VectorGemm() {}

    // Micro-kernel. C: (rows, NR) tile at cOff, row stride ldc, rows = MR or 8; ap: packed A
    // panel (kc, MR), alpha folded in; bp: B panel (kc, NR), rows ldb apart (NR when packed).
    // Outer product per p: broadcast the rows' values of A, load NR/L vectors of B, fma into
    // rows × 2 accumulators held in registers (24 of the 32 zmm). Vectorised along j only, so
    // each C element is the twin's chain C = fma(ap[p,i], bp[p,j], C) for p = 0..kc-1, from the
    // stored C, or from 0 when !load (the first depth block of a beta == 0 product). Eight rows:
    // the last panels of an m = 12·q + 8 or 12·q + 4 block (Gemm.panelRow), which a 12-row tile
    // would run on a copy with a third of its fmas wasted; the test on rows is loop-invariant.
    static final int MR = 12, NR = 2 * L;

    static void gemmMicro(int rows, float[] c, int cOff, int ldc, float[] ap, int aOff, float[] bp, int bOff, int ldb, int kc, boolean load) {
        boolean twelve = rows > 8;
        FloatVector z = FloatVector.zero(S);
        FloatVector c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
        FloatVector c4a = z, c4b = z, c5a = z, c5b = z, c6a = z, c6b = z, c7a = z, c7b = z;
        FloatVector c8a = z, c8b = z, c9a = z, c9b = z, c10a = z, c10b = z, c11a = z, c11b = z;
        if (load) {
            c0a = FloatVector.fromArray(S, c, cOff + 0 * ldc); c0b = FloatVector.fromArray(S, c, cOff + 0 * ldc + L);
            c1a = FloatVector.fromArray(S, c, cOff + 1 * ldc); c1b = FloatVector.fromArray(S, c, cOff + 1 * ldc + L);
            c2a = FloatVector.fromArray(S, c, cOff + 2 * ldc); c2b = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
            c3a = FloatVector.fromArray(S, c, cOff + 3 * ldc); c3b = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
            c4a = FloatVector.fromArray(S, c, cOff + 4 * ldc); c4b = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
            c5a = FloatVector.fromArray(S, c, cOff + 5 * ldc); c5b = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
            c6a = FloatVector.fromArray(S, c, cOff + 6 * ldc); c6b = FloatVector.fromArray(S, c, cOff + 6 * ldc + L);
            c7a = FloatVector.fromArray(S, c, cOff + 7 * ldc); c7b = FloatVector.fromArray(S, c, cOff + 7 * ldc + L);
            if (twelve) {
                c8a = FloatVector.fromArray(S, c, cOff + 8 * ldc); c8b = FloatVector.fromArray(S, c, cOff + 8 * ldc + L);
                c9a = FloatVector.fromArray(S, c, cOff + 9 * ldc); c9b = FloatVector.fromArray(S, c, cOff + 9 * ldc + L);
                c10a = FloatVector.fromArray(S, c, cOff + 10 * ldc); c10b = FloatVector.fromArray(S, c, cOff + 10 * ldc + L);
                c11a = FloatVector.fromArray(S, c, cOff + 11 * ldc); c11b = FloatVector.fromArray(S, c, cOff + 11 * ldc + L);
            }
        }
        for (int p = 0; p < kc; p++) {
            int ao = aOff + p * MR, bo = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), a;
            a = FloatVector.broadcast(S, ap[ao + 0]); c0a = a.fma(b0, c0a); c0b = a.fma(b1, c0b);
            a = FloatVector.broadcast(S, ap[ao + 1]); c1a = a.fma(b0, c1a); c1b = a.fma(b1, c1b);
            a = FloatVector.broadcast(S, ap[ao + 2]); c2a = a.fma(b0, c2a); c2b = a.fma(b1, c2b);
            a = FloatVector.broadcast(S, ap[ao + 3]); c3a = a.fma(b0, c3a); c3b = a.fma(b1, c3b);
            a = FloatVector.broadcast(S, ap[ao + 4]); c4a = a.fma(b0, c4a); c4b = a.fma(b1, c4b);
            a = FloatVector.broadcast(S, ap[ao + 5]); c5a = a.fma(b0, c5a); c5b = a.fma(b1, c5b);
            a = FloatVector.broadcast(S, ap[ao + 6]); c6a = a.fma(b0, c6a); c6b = a.fma(b1, c6b);
            a = FloatVector.broadcast(S, ap[ao + 7]); c7a = a.fma(b0, c7a); c7b = a.fma(b1, c7b);
            if (twelve) {
                a = FloatVector.broadcast(S, ap[ao + 8]); c8a = a.fma(b0, c8a); c8b = a.fma(b1, c8b);
                a = FloatVector.broadcast(S, ap[ao + 9]); c9a = a.fma(b0, c9a); c9b = a.fma(b1, c9b);
                a = FloatVector.broadcast(S, ap[ao + 10]); c10a = a.fma(b0, c10a); c10b = a.fma(b1, c10b);
                a = FloatVector.broadcast(S, ap[ao + 11]); c11a = a.fma(b0, c11a); c11b = a.fma(b1, c11b);
            }
        }
        c0a.intoArray(c, cOff + 0 * ldc); c0b.intoArray(c, cOff + 0 * ldc + L);
        c1a.intoArray(c, cOff + 1 * ldc); c1b.intoArray(c, cOff + 1 * ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc); c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc); c3b.intoArray(c, cOff + 3 * ldc + L);
        c4a.intoArray(c, cOff + 4 * ldc); c4b.intoArray(c, cOff + 4 * ldc + L);
        c5a.intoArray(c, cOff + 5 * ldc); c5b.intoArray(c, cOff + 5 * ldc + L);
        c6a.intoArray(c, cOff + 6 * ldc); c6b.intoArray(c, cOff + 6 * ldc + L);
        c7a.intoArray(c, cOff + 7 * ldc); c7b.intoArray(c, cOff + 7 * ldc + L);
        if (twelve) {
            c8a.intoArray(c, cOff + 8 * ldc); c8b.intoArray(c, cOff + 8 * ldc + L);
            c9a.intoArray(c, cOff + 9 * ldc); c9b.intoArray(c, cOff + 9 * ldc + L);
            c10a.intoArray(c, cOff + 10 * ldc); c10b.intoArray(c, cOff + 10 * ldc + L);
            c11a.intoArray(c, cOff + 11 * ldc); c11b.intoArray(c, cOff + 11 * ldc + L);
        }
    }

    // gemmMicro with B row p at bp[bOff + off[oOff + p]] (implicit im2col: rows are shifted windows
    // of a padded plane; ConvDirect). Twin: ScalarGemm.gemmMicroOff. Kept apart from gemmMicro:
    // one kernel choosing its B rows by a test on the table ran ConvDirect's layers measurably
    // slower (docs/performance.md, "Micro-kernels merged").
    static void gemmMicroOff(int rows, float[] c, int cOff, int ldc, float[] ap, int aOff, float[] bp, int bOff, int[] off, int oOff, int kc, boolean load) {
        boolean twelve = rows > 8;
        FloatVector z = FloatVector.zero(S);
        FloatVector c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
        FloatVector c4a = z, c4b = z, c5a = z, c5b = z, c6a = z, c6b = z, c7a = z, c7b = z;
        FloatVector c8a = z, c8b = z, c9a = z, c9b = z, c10a = z, c10b = z, c11a = z, c11b = z;
        if (load) {
            c0a = FloatVector.fromArray(S, c, cOff + 0 * ldc); c0b = FloatVector.fromArray(S, c, cOff + 0 * ldc + L);
            c1a = FloatVector.fromArray(S, c, cOff + 1 * ldc); c1b = FloatVector.fromArray(S, c, cOff + 1 * ldc + L);
            c2a = FloatVector.fromArray(S, c, cOff + 2 * ldc); c2b = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
            c3a = FloatVector.fromArray(S, c, cOff + 3 * ldc); c3b = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
            c4a = FloatVector.fromArray(S, c, cOff + 4 * ldc); c4b = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
            c5a = FloatVector.fromArray(S, c, cOff + 5 * ldc); c5b = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
            c6a = FloatVector.fromArray(S, c, cOff + 6 * ldc); c6b = FloatVector.fromArray(S, c, cOff + 6 * ldc + L);
            c7a = FloatVector.fromArray(S, c, cOff + 7 * ldc); c7b = FloatVector.fromArray(S, c, cOff + 7 * ldc + L);
            if (twelve) {
                c8a = FloatVector.fromArray(S, c, cOff + 8 * ldc); c8b = FloatVector.fromArray(S, c, cOff + 8 * ldc + L);
                c9a = FloatVector.fromArray(S, c, cOff + 9 * ldc); c9b = FloatVector.fromArray(S, c, cOff + 9 * ldc + L);
                c10a = FloatVector.fromArray(S, c, cOff + 10 * ldc); c10b = FloatVector.fromArray(S, c, cOff + 10 * ldc + L);
                c11a = FloatVector.fromArray(S, c, cOff + 11 * ldc); c11b = FloatVector.fromArray(S, c, cOff + 11 * ldc + L);
            }
        }
        for (int p = 0; p < kc; p++) {
            int ao = aOff + p * MR, bo = bOff + off[oOff + p];
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), a;
            a = FloatVector.broadcast(S, ap[ao + 0]); c0a = a.fma(b0, c0a); c0b = a.fma(b1, c0b);
            a = FloatVector.broadcast(S, ap[ao + 1]); c1a = a.fma(b0, c1a); c1b = a.fma(b1, c1b);
            a = FloatVector.broadcast(S, ap[ao + 2]); c2a = a.fma(b0, c2a); c2b = a.fma(b1, c2b);
            a = FloatVector.broadcast(S, ap[ao + 3]); c3a = a.fma(b0, c3a); c3b = a.fma(b1, c3b);
            a = FloatVector.broadcast(S, ap[ao + 4]); c4a = a.fma(b0, c4a); c4b = a.fma(b1, c4b);
            a = FloatVector.broadcast(S, ap[ao + 5]); c5a = a.fma(b0, c5a); c5b = a.fma(b1, c5b);
            a = FloatVector.broadcast(S, ap[ao + 6]); c6a = a.fma(b0, c6a); c6b = a.fma(b1, c6b);
            a = FloatVector.broadcast(S, ap[ao + 7]); c7a = a.fma(b0, c7a); c7b = a.fma(b1, c7b);
            if (twelve) {
                a = FloatVector.broadcast(S, ap[ao + 8]); c8a = a.fma(b0, c8a); c8b = a.fma(b1, c8b);
                a = FloatVector.broadcast(S, ap[ao + 9]); c9a = a.fma(b0, c9a); c9b = a.fma(b1, c9b);
                a = FloatVector.broadcast(S, ap[ao + 10]); c10a = a.fma(b0, c10a); c10b = a.fma(b1, c10b);
                a = FloatVector.broadcast(S, ap[ao + 11]); c11a = a.fma(b0, c11a); c11b = a.fma(b1, c11b);
            }
        }
        c0a.intoArray(c, cOff + 0 * ldc); c0b.intoArray(c, cOff + 0 * ldc + L);
        c1a.intoArray(c, cOff + 1 * ldc); c1b.intoArray(c, cOff + 1 * ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc); c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc); c3b.intoArray(c, cOff + 3 * ldc + L);
        c4a.intoArray(c, cOff + 4 * ldc); c4b.intoArray(c, cOff + 4 * ldc + L);
        c5a.intoArray(c, cOff + 5 * ldc); c5b.intoArray(c, cOff + 5 * ldc + L);
        c6a.intoArray(c, cOff + 6 * ldc); c6b.intoArray(c, cOff + 6 * ldc + L);
        c7a.intoArray(c, cOff + 7 * ldc); c7b.intoArray(c, cOff + 7 * ldc + L);
        if (twelve) {
            c8a.intoArray(c, cOff + 8 * ldc); c8b.intoArray(c, cOff + 8 * ldc + L);
            c9a.intoArray(c, cOff + 9 * ldc); c9b.intoArray(c, cOff + 9 * ldc + L);
            c10a.intoArray(c, cOff + 10 * ldc); c10b.intoArray(c, cOff + 10 * ldc + L);
            c11a.intoArray(c, cOff + 11 * ldc); c11b.intoArray(c, cOff + 11 * ldc + L);
        }
    }

    // gemmMicro with A read in place, untransposed, row i at am[rowOff[rOff + i] + aShift + p]
    // (alpha = 1): for products whose A panels serve a tile or two, where packing A is a pass of
    // its own. Gemm (rowOff = r·lda; Conv.backwardWeight's col · dYᵀ, n = K) and
    // ConvDirect.backwardWeight (rows are windows of a zero-padded plane).
    // Twin: ScalarGemm.gemmMicroAOff.
    static void gemmMicroAOff(float[] c, int cOff, int ldc, float[] am, int[] rowOff, int rOff, int aShift, float[] bp, int bOff, int ldb, int kc, boolean load) {
        int o0 = rowOff[rOff] + aShift, o1 = rowOff[rOff + 1] + aShift, o2 = rowOff[rOff + 2] + aShift, o3 = rowOff[rOff + 3] + aShift;
        int o4 = rowOff[rOff + 4] + aShift, o5 = rowOff[rOff + 5] + aShift, o6 = rowOff[rOff + 6] + aShift, o7 = rowOff[rOff + 7] + aShift;
        int o8 = rowOff[rOff + 8] + aShift, o9 = rowOff[rOff + 9] + aShift, o10 = rowOff[rOff + 10] + aShift, o11 = rowOff[rOff + 11] + aShift;
        FloatVector z = FloatVector.zero(S);
        FloatVector c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
        FloatVector c4a = z, c4b = z, c5a = z, c5b = z, c6a = z, c6b = z, c7a = z, c7b = z;
        FloatVector c8a = z, c8b = z, c9a = z, c9b = z, c10a = z, c10b = z, c11a = z, c11b = z;
        if (load) {
            c0a = FloatVector.fromArray(S, c, cOff + 0 * ldc); c0b = FloatVector.fromArray(S, c, cOff + 0 * ldc + L);
            c1a = FloatVector.fromArray(S, c, cOff + 1 * ldc); c1b = FloatVector.fromArray(S, c, cOff + 1 * ldc + L);
            c2a = FloatVector.fromArray(S, c, cOff + 2 * ldc); c2b = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
            c3a = FloatVector.fromArray(S, c, cOff + 3 * ldc); c3b = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
            c4a = FloatVector.fromArray(S, c, cOff + 4 * ldc); c4b = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
            c5a = FloatVector.fromArray(S, c, cOff + 5 * ldc); c5b = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
            c6a = FloatVector.fromArray(S, c, cOff + 6 * ldc); c6b = FloatVector.fromArray(S, c, cOff + 6 * ldc + L);
            c7a = FloatVector.fromArray(S, c, cOff + 7 * ldc); c7b = FloatVector.fromArray(S, c, cOff + 7 * ldc + L);
            c8a = FloatVector.fromArray(S, c, cOff + 8 * ldc); c8b = FloatVector.fromArray(S, c, cOff + 8 * ldc + L);
            c9a = FloatVector.fromArray(S, c, cOff + 9 * ldc); c9b = FloatVector.fromArray(S, c, cOff + 9 * ldc + L);
            c10a = FloatVector.fromArray(S, c, cOff + 10 * ldc); c10b = FloatVector.fromArray(S, c, cOff + 10 * ldc + L);
            c11a = FloatVector.fromArray(S, c, cOff + 11 * ldc); c11b = FloatVector.fromArray(S, c, cOff + 11 * ldc + L);
        }
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), a;
            a = FloatVector.broadcast(S, am[o0 + p]); c0a = a.fma(b0, c0a); c0b = a.fma(b1, c0b);
            a = FloatVector.broadcast(S, am[o1 + p]); c1a = a.fma(b0, c1a); c1b = a.fma(b1, c1b);
            a = FloatVector.broadcast(S, am[o2 + p]); c2a = a.fma(b0, c2a); c2b = a.fma(b1, c2b);
            a = FloatVector.broadcast(S, am[o3 + p]); c3a = a.fma(b0, c3a); c3b = a.fma(b1, c3b);
            a = FloatVector.broadcast(S, am[o4 + p]); c4a = a.fma(b0, c4a); c4b = a.fma(b1, c4b);
            a = FloatVector.broadcast(S, am[o5 + p]); c5a = a.fma(b0, c5a); c5b = a.fma(b1, c5b);
            a = FloatVector.broadcast(S, am[o6 + p]); c6a = a.fma(b0, c6a); c6b = a.fma(b1, c6b);
            a = FloatVector.broadcast(S, am[o7 + p]); c7a = a.fma(b0, c7a); c7b = a.fma(b1, c7b);
            a = FloatVector.broadcast(S, am[o8 + p]); c8a = a.fma(b0, c8a); c8b = a.fma(b1, c8b);
            a = FloatVector.broadcast(S, am[o9 + p]); c9a = a.fma(b0, c9a); c9b = a.fma(b1, c9b);
            a = FloatVector.broadcast(S, am[o10 + p]); c10a = a.fma(b0, c10a); c10b = a.fma(b1, c10b);
            a = FloatVector.broadcast(S, am[o11 + p]); c11a = a.fma(b0, c11a); c11b = a.fma(b1, c11b);
        }
        c0a.intoArray(c, cOff + 0 * ldc); c0b.intoArray(c, cOff + 0 * ldc + L);
        c1a.intoArray(c, cOff + 1 * ldc); c1b.intoArray(c, cOff + 1 * ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc); c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc); c3b.intoArray(c, cOff + 3 * ldc + L);
        c4a.intoArray(c, cOff + 4 * ldc); c4b.intoArray(c, cOff + 4 * ldc + L);
        c5a.intoArray(c, cOff + 5 * ldc); c5b.intoArray(c, cOff + 5 * ldc + L);
        c6a.intoArray(c, cOff + 6 * ldc); c6b.intoArray(c, cOff + 6 * ldc + L);
        c7a.intoArray(c, cOff + 7 * ldc); c7b.intoArray(c, cOff + 7 * ldc + L);
        c8a.intoArray(c, cOff + 8 * ldc); c8b.intoArray(c, cOff + 8 * ldc + L);
        c9a.intoArray(c, cOff + 9 * ldc); c9b.intoArray(c, cOff + 9 * ldc + L);
        c10a.intoArray(c, cOff + 10 * ldc); c10b.intoArray(c, cOff + 10 * ldc + L);
        c11a.intoArray(c, cOff + 11 * ldc); c11b.intoArray(c, cOff + 11 * ldc + L);
    }

    // rows × NR floats of tile (row r at r·NR, two vectors) -> y: row r's lanes kept by keepA
    // (first vector) and keepB (second), in order, to y[yOff + r·ldy + firstA ..] and
    // [.. + firstB ..]; added to what is there when acc (y + tile, as ScalarElementwise.add). For a
    // Wp-wide product tile whose rows wrap: the kept lanes of a vector are contiguous in y.
    static void storeCompressed(float[] y, int yOff, int ldy, float[] tile, int rows, long keepA, long keepB, int firstA, int firstB, boolean acc) {
        VectorMask<Float> ka = VectorMask.fromLong(S, keepA), kb = VectorMask.fromLong(S, keepB);
        VectorMask<Float> pa = S.indexInRange(0, Long.bitCount(keepA)), pb = S.indexInRange(0, Long.bitCount(keepB));
        for (int r = 0; r < rows; r++) {
            int oa = yOff + r * ldy + firstA, ob = yOff + r * ldy + firstB;
            FloatVector a = FloatVector.fromArray(S, tile, r * NR).compress(ka), b = FloatVector.fromArray(S, tile, r * NR + L).compress(kb);
            if (acc) {
                a = FloatVector.fromArray(S, y, oa, pa).add(a);
                b = FloatVector.fromArray(S, y, ob, pb).add(b);
            }
            a.intoArray(y, oa, pa);
            b.intoArray(y, ob, pb);
        }
    }

    // A full MR-row panel of untransposed A (row r from a[aRow + r·lda]), columns [0, kb), to
    // w[d + p·MR + r] = alpha·A(r, p): gathers through idx[f] = (f % MR)·lda + f / MR (see
    // gemmPackIndex), so L consecutive packed values per load; the product rounds as the twin's.
    static void gemmPackA(float[] w, int d, float[] a, int aRow, int lda, int kb, float alpha, int[] idx) {
        int p = 0;
        for (; p + L <= kb; p += L) {
            for (int q = 0; q < MR; q++) {
                FloatVector.fromArray(S, a, aRow + p, idx, q * L).mul(alpha).intoArray(w, d + p * MR + q * L);
            }
        }
        for (; p < kb; p++) {
            for (int r = 0; r < MR; r++) w[d + p * MR + r] = alpha * a[aRow + r * lda + p];
        }
    }

    static int[] gemmPackIndex(int lda) {
        int[] idx = new int[MR * L];
        for (int f = 0; f < idx.length; f++) idx[f] = (f % MR) * lda + f / MR;
        return idx;
    }

    // A full NR-column panel of transposed B (column j from b[bCol + j·ldb], contiguous along p),
    // rows [0, kb), to bp[d + p·NR + j] = B(p, j): gathers through idx[j] = j·ldb (see
    // Gemm.columnIndex). A copy, as the twin.
    static void gemmPackColumns(float[] bp, int d, float[] b, int bCol, int kb, int[] idx) {
        for (int p = 0; p < kb; p++) {
            FloatVector.fromArray(S, b, bCol + p, idx, 0).intoArray(bp, d + p * NR);
            FloatVector.fromArray(S, b, bCol + p, idx, L).intoArray(bp, d + p * NR + L);
        }
    }

    // Row p of untransposed B (contiguous from b[bRow]) into `panels` packed panels: panel q
    // receives b[bRow + q·NR, + NR) at bp[bOff + q·panelStride]. A copy, as the twin.
    static void gemmPackRow(float[] bp, int bOff, int panelStride, float[] b, int bRow, int panels) {
        for (int q = 0; q < panels; q++) {
            int d = bOff + q * panelStride, s = bRow + q * NR;
            FloatVector.fromArray(S, b, s).intoArray(bp, d);
            FloatVector.fromArray(S, b, s + L).intoArray(bp, d + L);
        }
    }

    // Convolution with one input channel: ScalarGemm.conv1Forward vectorised along q: per output row, vectors at q0 = 0, L, ..
    // and a last one ending at Q (overlapping, so the same values are stored twice); per vector,
    // 8 output channels at a time, 8 chains of R·S fmas over taps loaded from the padded plane
    // (8 chains hide the fma latency). Each lane is the twin's chain. Rows narrower than a
    // vector run the twin. (kR, kS: R and S, whose name S is the species here.)
    static void conv1Forward(float[] y, int yOff, float[] xp, int Wp, float[] w, int K, int kR, int kS, int P, int Q) {
        if (Q < L) {
            ScalarGemm.conv1Forward(y, yOff, xp, Wp, w, K, kR, kS, P, Q);
            return;
        }
        int RS = kR * kS, PQ = P * Q;
        for (int p = 0; p < P; p++) {
            for (int q0 = 0; q0 < Q; q0 = q0 + L < Q && q0 + 2 * L > Q ? Q - L : q0 + L) {
                int xo = p * Wp + q0, yo = yOff + p * Q + q0, k = 0;
                for (; k + 8 <= K; k += 8) {
                    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
                    for (int j = 0, wo = k * RS; j < RS; j++, wo++) {
                        FloatVector t = FloatVector.fromArray(S, xp, xo + j / kS * Wp + j % kS);
                        a0 = FloatVector.broadcast(S, w[wo]).fma(t, a0);
                        a1 = FloatVector.broadcast(S, w[wo + RS]).fma(t, a1);
                        a2 = FloatVector.broadcast(S, w[wo + 2 * RS]).fma(t, a2);
                        a3 = FloatVector.broadcast(S, w[wo + 3 * RS]).fma(t, a3);
                        a4 = FloatVector.broadcast(S, w[wo + 4 * RS]).fma(t, a4);
                        a5 = FloatVector.broadcast(S, w[wo + 5 * RS]).fma(t, a5);
                        a6 = FloatVector.broadcast(S, w[wo + 6 * RS]).fma(t, a6);
                        a7 = FloatVector.broadcast(S, w[wo + 7 * RS]).fma(t, a7);
                    }
                    int o = yo + k * PQ;
                    a0.intoArray(y, o); a1.intoArray(y, o + PQ); a2.intoArray(y, o + 2 * PQ); a3.intoArray(y, o + 3 * PQ);
                    a4.intoArray(y, o + 4 * PQ); a5.intoArray(y, o + 5 * PQ); a6.intoArray(y, o + 6 * PQ); a7.intoArray(y, o + 7 * PQ);
                }
                for (; k < K; k++) {
                    FloatVector a = FloatVector.zero(S);
                    for (int j = 0; j < RS; j++) a = FloatVector.broadcast(S, w[k * RS + j]).fma(FloatVector.fromArray(S, xp, xo + j / kS * Wp + j % kS), a);
                    a.intoArray(y, yo + k * PQ);
                }
            }
        }
    }
}
