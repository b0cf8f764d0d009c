package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static dev.tauon.kernel.ScalarKernels.*;

// The Vector API twins of ScalarKernels (the only file that imports jdk.incubator.vector).
// Each method reproduces its scalar twin bit for bit: elementwise ops are the same IEEE
// operations lane by lane; reductions keep ScalarKernels.CANON partial sums (16 / LANES
// accumulators of LANES lanes) and fold them with the twin's tree; tails run the twin's loop.
final class VectorKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private VectorKernels() {}

    static String speciesName() { return S.toString(); }

    static int lanes() { return CANON % L == 0 ? L : 1; }

    // ---- elementwise --------------------------------------------------------------------------

    static void add(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
    }

    static void sub(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).sub(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = a[aOff + i] - b[bOff + i];
    }

    static void mul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = a[aOff + i] * b[bOff + i];
    }

    static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            va.fma(FloatVector.fromArray(S, x, xOff + i), FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    static void scale(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = alpha * x[xOff + i];
    }

    static void relu(float[] y, int yOff, float[] x, int xOff, int n) {
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = x[xOff + i] > 0f ? x[xOff + i] : 0f;
    }

    static void reluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f);
            FloatVector d = FloatVector.fromArray(S, dx, dxOff + i);
            d.add(FloatVector.fromArray(S, dy, dyOff + i), pos).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) if (x[xOff + i] > 0f) dx[dxOff + i] += dy[dyOff + i];
    }

    static void exp(float[] y, int yOff, float[] x, int xOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            exp(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = ScalarKernels.exp(x[xOff + i]);
    }

    static void log(float[] y, int yOff, float[] x, int xOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            log(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = ScalarKernels.log(x[xOff + i]);
    }

    // ---- reductions ---------------------------------------------------------------------------

    // Σ x in the canonical order: accumulator q holds partials q·L .. q·L+L-1.
    static float sum(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int full = n - n % CANON, i = 0;
        for (; i < full; i += CANON) {
            a0 = a0.add(FloatVector.fromArray(S, x, off + i));
            if (L <= 8) a1 = a1.add(FloatVector.fromArray(S, x, off + i + L));
            if (L <= 4) {
                a2 = a2.add(FloatVector.fromArray(S, x, off + i + 2 * L));
                a3 = a3.add(FloatVector.fromArray(S, x, off + i + 3 * L));
            }
        }
        float s = foldAccumulators(a0, a1, a2, a3);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int full = n - n % CANON, i = 0;
        for (; i < full; i += CANON) {
            a0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), a0);
            if (L <= 8) a1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), a1);
            if (L <= 4) {
                a2 = FloatVector.fromArray(S, a, aOff + i + 2 * L).fma(FloatVector.fromArray(S, b, bOff + i + 2 * L), a2);
                a3 = FloatVector.fromArray(S, a, aOff + i + 3 * L).fma(FloatVector.fromArray(S, b, bOff + i + 3 * L), a3);
            }
        }
        float s = foldAccumulators(a0, a1, a2, a3);
        for (; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    // The canonical fold of 16 / L accumulators of L lanes (shared by every VectorKernels* file).
    // ScalarKernels.fold's halving tree, part[l] += part[l + w] for w = 8, 4, 2, 1 with part =
    // a0 ‖ a1 ‖ a2 ‖ a3, done in registers: the steps within a vector add it to itself rotated
    // by w lanes (no array: storing the lanes allocated one per call, ~800 000 per training step)
    static float foldAccumulators(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
        FloatVector h = a0;
        if (L <= 4) { h = a0.add(a2); a1 = a1.add(a3); }   // w = 8 at 4 lanes
        if (L <= 8) h = h.add(a1);                          // w = 8 at 8 lanes, 4 at 4
        if (L >= 16) h = h.add(h.rearrange(ROT8));
        if (L >= 8) h = h.add(h.rearrange(ROT4));
        h = h.add(h.rearrange(ROT2));
        return h.add(h.rearrange(ROT1)).lane(0);
    }

    private static final VectorShuffle<Float> ROT8 = VectorShuffle.iota(S, 8, 1, true), ROT4 = VectorShuffle.iota(S, 4, 1, true),
            ROT2 = VectorShuffle.iota(S, 2, 1, true), ROT1 = VectorShuffle.iota(S, 1, 1, true);

    static void sumRows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) out[outOff + r] = sum(x, xOff + r * cols, cols);
    }

    // Vectorised across columns; each column still accumulates over rows in order.
    static void sumCols(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        int c = 0;
        for (int bound = S.loopBound(cols); c < bound; c += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) acc = acc.add(FloatVector.fromArray(S, x, xOff + r * cols + c));
            acc.intoArray(out, outOff + c);
        }
        for (; c < cols; c++) {
            float acc = 0f;
            for (int r = 0; r < rows; r++) acc += x[xOff + r * cols + c];
            out[outOff + c] = acc;
        }
    }

    // Skips whole vectors with no lane above t; the scalar twin then finds the exact index.
    static int firstAbove(float[] x, int from, int to, float t) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            if (FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, t).anyTrue()) break;
        }
        return ScalarKernels.firstAbove(x, i, to, t);
    }

    static float max(float[] x, int off, int n) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) m = m.max(FloatVector.fromArray(S, x, off + i));
        float s = m.reduceLanes(VectorOperators.MAX);   // max is exact: any order gives the same value
        for (; i < n; i++) s = Math.max(s, x[off + i]);
        return s;
    }

    static void softmaxRows(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols, yr = yOff + r * cols;
            float max = max(x, xr, cols);
            expShifted(y, yr, x, xr, cols, max);
            float s = sum(y, yr, cols);
            int c = 0;
            for (int bound = S.loopBound(cols); c < bound; c += L) {
                FloatVector.fromArray(S, y, yr + c).div(s).intoArray(y, yr + c);
            }
            for (; c < cols; c++) y[yr + c] = y[yr + c] / s;
        }
    }

    static void logSoftmaxRows(float[] y, int yOff, float[] x, int xOff, int rows, int cols, float[] scratch) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols, yr = yOff + r * cols;
            float max = max(x, xr, cols);
            expShifted(scratch, 0, x, xr, cols, max);
            float logSum = ScalarKernels.log(sum(scratch, 0, cols));
            int c = 0;
            for (int bound = S.loopBound(cols); c < bound; c += L) {
                FloatVector.fromArray(S, x, xr + c).sub(max).sub(logSum).intoArray(y, yr + c);
            }
            for (; c < cols; c++) y[yr + c] = (x[xr + c] - max) - logSum;
        }
    }

    // y = exp(x - shift)
    private static void expShifted(float[] y, int yOff, float[] x, int xOff, int n, float shift) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            exp(FloatVector.fromArray(S, x, xOff + i).sub(shift)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = ScalarKernels.exp(x[xOff + i] - shift);
    }

    // ---- exp and log, lane by lane the same operations as ScalarKernels.exp / log -------------

    private static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI);
        FloatVector n = x.fma(LOG2E, ROUND_MAGIC).sub(ROUND_MAGIC);
        FloatVector r = n.fma(bc(-LN2_HI), x);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, E0).fma(r, bc(E1)).fma(r, bc(E2)).fma(r, bc(E3)).fma(r, bc(E4)).fma(r, bc(E5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    private static FloatVector bc(float v) { return FloatVector.broadcast(S, v); }

    private static FloatVector log(FloatVector x) {
        VectorMask<Float> sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(0x1p23f), sub);
        FloatVector e = FloatVector.zero(S).blend(-23f, sub);
        IntVector bits = xs.reinterpretAsInts();
        IntVector ebits = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126);
        e = e.add((FloatVector) ebits.convert(VectorOperators.I2F, 0));
        FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats();
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        e = e.sub(FloatVector.zero(S).blend(1f, low));
        m = m.add(m).sub(1f).blend(m.sub(1f), low.not());
        FloatVector z = m.mul(m);
        FloatVector p = FloatVector.broadcast(S, L0).fma(m, bc(L1)).fma(m, bc(L2)).fma(m, bc(L3)).fma(m, bc(L4))
                .fma(m, bc(L5)).fma(m, bc(L6)).fma(m, bc(L7)).fma(m, bc(L8));
        FloatVector y = p.mul(m).mul(z);
        y = e.fma(bc(LN2_LO), y);
        y = z.fma(bc(-0.5f), y);
        FloatVector res = e.fma(bc(LN2_HI), m.add(y));
        // Special values, as the twin: x == 0 -> -inf, x < 0 or NaN -> NaN, +inf -> +inf.
        res = res.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        res = res.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        res = res.blend(Float.NaN, x.compare(VectorOperators.GT, 0f).not().and(x.compare(VectorOperators.EQ, 0f).not()));
        return res;
    }

    // ==== GEMM: micro-kernel and packing, driven by Gemm.java ==================================
    // Micro-kernel. C: (rows, NR) tile at cOff, row stride ldc, rows = MR or 8; ap: packed A
    // panel (kc, MR), alpha folded in; bp: B panel (kc, NR), rows ldb apart (NR when packed).
    // Outer product per p: broadcast the rows' values of A, load NR/L vectors of B, fma into
    // rows × 2 accumulators held in registers (24 of the 32 zmm). Vectorised along j only, so
    // each C element is the twin's chain C = fma(ap[p,i], bp[p,j], C) for p = 0..kc-1, from the
    // stored C, or from 0 when !load (the first depth block of a beta == 0 product). Eight rows:
    // the last panels of an m = 12·q + 8 or 12·q + 4 block (Gemm.panelRow), which a 12-row tile
    // would run on a copy with a third of its fmas wasted; the test on rows is loop-invariant.
    static final int GEMM_MR = 12, GEMM_NR = 2 * L;

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
            int ao = aOff + p * GEMM_MR, bo = bOff + p * ldb;
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
    // of a padded plane; ConvDirect). Twin: ScalarKernels.gemmMicroOff.
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
            int ao = aOff + p * GEMM_MR, bo = bOff + off[oOff + p];
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
    // Twin: ScalarKernels.gemmMicroAOff.
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
    // [.. + firstB ..]; added to what is there when acc (y + tile, as ScalarKernels.add). For a
    // Wp-wide product tile whose rows wrap: the kept lanes of a vector are contiguous in y.
    static void storeCompressed(float[] y, int yOff, int ldy, float[] tile, int rows, long keepA, long keepB, int firstA, int firstB, boolean acc) {
        VectorMask<Float> ka = VectorMask.fromLong(S, keepA), kb = VectorMask.fromLong(S, keepB);
        VectorMask<Float> pa = S.indexInRange(0, Long.bitCount(keepA)), pb = S.indexInRange(0, Long.bitCount(keepB));
        for (int r = 0; r < rows; r++) {
            int oa = yOff + r * ldy + firstA, ob = yOff + r * ldy + firstB;
            FloatVector a = FloatVector.fromArray(S, tile, r * GEMM_NR).compress(ka), b = FloatVector.fromArray(S, tile, r * GEMM_NR + L).compress(kb);
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
    // gemmPackIndex), so L consecutive packed values per load; the product rounds as in Gemm.packA.
    static void gemmPackA(float[] w, int d, float[] a, int aRow, int lda, int kb, float alpha, int[] idx) {
        int p = 0;
        for (; p + L <= kb; p += L) {
            for (int q = 0; q < GEMM_MR; q++) {
                FloatVector.fromArray(S, a, aRow + p, idx, q * L).mul(alpha).intoArray(w, d + p * GEMM_MR + q * L);
            }
        }
        for (; p < kb; p++) {
            for (int r = 0; r < GEMM_MR; r++) w[d + p * GEMM_MR + r] = alpha * a[aRow + r * lda + p];
        }
    }

    static int[] gemmPackIndex(int lda) {
        int[] idx = new int[GEMM_MR * L];
        for (int f = 0; f < idx.length; f++) idx[f] = (f % GEMM_MR) * lda + f / GEMM_MR;
        return idx;
    }

    // A full NR-column panel of transposed B (column j from b[bCol + j·ldb], contiguous along p),
    // rows [0, kb), to bp[d + p·NR + j] = B(p, j): gathers through idx[j] = j·ldb (see
    // gemmPackIndexT). A copy; the scalar loop in Gemm.packB does the same.
    static void gemmPackColumns(float[] bp, int d, float[] b, int bCol, int kb, int[] idx) {
        for (int p = 0; p < kb; p++) {
            FloatVector.fromArray(S, b, bCol + p, idx, 0).intoArray(bp, d + p * GEMM_NR);
            FloatVector.fromArray(S, b, bCol + p, idx, L).intoArray(bp, d + p * GEMM_NR + L);
        }
    }

    static int[] gemmPackIndexT(int ldb) {
        int[] idx = new int[GEMM_NR];
        for (int j = 0; j < GEMM_NR; j++) idx[j] = j * ldb;
        return idx;
    }

    // Row p of untransposed B (contiguous from b[bRow]) into `panels` packed panels: panel q
    // receives b[bRow + q·NR, + NR) at bp[bOff + q·panelStride]. A copy; the scalar loop in
    // Gemm.packB does the same.
    static void gemmPackRow(float[] bp, int bOff, int panelStride, float[] b, int bRow, int panels) {
        for (int q = 0; q < panels; q++) {
            int d = bOff + q * panelStride, s = bRow + q * GEMM_NR;
            FloatVector.fromArray(S, b, s).intoArray(bp, d);
            FloatVector.fromArray(S, b, s + L).intoArray(bp, d + L);
        }
    }

    // ==== Convolution with one input channel ===================================================
    // ScalarKernels.conv1Forward vectorised along q: per output row, vectors at q0 = 0, L, ..
    // and a last one ending at Q (overlapping, so the same values are stored twice); per vector,
    // 8 output channels at a time, 8 chains of R·S fmas over taps loaded from the padded plane
    // (8 chains hide the fma latency). Each lane is the twin's chain. Rows narrower than a
    // vector run the twin. (kR, kS: R and S, whose name S is the species here.)
    static void conv1Forward(float[] y, int yOff, float[] xp, int Wp, float[] w, int K, int kR, int kS, int P, int Q) {
        if (Q < L) {
            ScalarKernels.conv1Forward(y, yOff, xp, Wp, w, K, kR, kS, P, Q);
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
