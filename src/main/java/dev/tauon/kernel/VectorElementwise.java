package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static dev.tauon.kernel.ScalarElementwise.*;

// The Vector API twins of ScalarElementwise, and the species every Vector* file uses (only the
// Vector* files import jdk.incubator.vector). Each method reproduces its scalar twin bit for
// bit: elementwise ops are the same IEEE operations lane by lane; reductions keep CANON partial
// sums (16 / LANES accumulators of LANES lanes) and fold them with the twin's tree; tails run
// the twin's loop.
final class VectorElementwise {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private VectorElementwise() {}

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
        for (; i < n; i++) y[yOff + i] = ScalarElementwise.exp(x[xOff + i]);
    }

    static void log(float[] y, int yOff, float[] x, int xOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            log(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = ScalarElementwise.log(x[xOff + i]);
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

    // The canonical fold of 16 / L accumulators of L lanes (shared by every Vector* file).
    // ScalarElementwise.fold's halving tree, part[l] += part[l + w] for w = 8, 4, 2, 1 with part =
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
        return ScalarElementwise.firstAbove(x, i, to, t);
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
            float logSum = ScalarElementwise.log(sum(scratch, 0, cols));
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
        for (; i < n; i++) y[yOff + i] = ScalarElementwise.exp(x[xOff + i] - shift);
    }

    // ---- exp and log, lane by lane the same operations as ScalarElementwise.exp / log -------------

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
}
