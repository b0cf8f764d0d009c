package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;

// Vector API twins of ScalarPool: 2×2, stride-2 max pooling, one output row at a time. Lanes are
// output columns: two-vector permutes split each input row into its even and odd columns, and
// the window is scanned in Pool.argmax's order (top-left, top-right, bottom-left, bottom-right;
// a later value wins only if strictly greater, or if it is NaN and the best so far is not), so
// every lane picks the twin's argmax and the twin's bits follow.
final class VectorPool {
    static final VectorSpecies<Float> S = VectorElementwise.S;
    static final int L = S.length();
    private static final FloatVector EVEN = evens(0), ODD = evens(1);
    private static final FloatVector LOW = interleave(0), HIGH = interleave(L / 2);

    private VectorPool() {}

    // lanes first, first+2, first+4, ... of two concatenated vectors
    private static FloatVector evens(int first) {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) v[i] = first + 2 * i;
        return FloatVector.fromArray(S, v, 0);
    }

    // lanes from..from+L/2 of a and b, alternating: a[from], b[from], a[from+1], ...
    private static FloatVector interleave(int from) {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) v[i] = i % 2 == 0 ? from + i / 2 : L + from + i / 2;
        return FloatVector.fromArray(S, v, 0);
    }

    // y[yo .. yo+Q) = max over the windows whose top rows start at x[top] and x[top + W]. A lane
    // replaces the best so far where v > best, or v is NaN and best is not (Pool.better). One
    // method, no helpers taking vectors (JAVA-NOTES: a helper C2 does not inline boxes them).
    static void maxPool2Row(float[] y, int yo, float[] x, int top, int W, int Q) {
        for (int q = 0; q < Q; q += L) {
            int cnt = Math.min(L, Q - q), i = top + 2 * q;
            VectorMask<Float> lo = S.indexInRange(0, 2 * cnt), hi = S.indexInRange(L, 2 * cnt);
            FloatVector a = FloatVector.fromArray(S, x, i, lo), b = FloatVector.fromArray(S, x, i + L, hi);
            FloatVector c = FloatVector.fromArray(S, x, i + W, lo), d = FloatVector.fromArray(S, x, i + W + L, hi);
            FloatVector best = EVEN.selectFrom(a, b), v = ODD.selectFrom(a, b);
            best = best.blend(v, v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN))));
            v = EVEN.selectFrom(c, d);
            best = best.blend(v, v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN))));
            v = ODD.selectFrom(c, d);
            best = best.blend(v, v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN))));
            best.intoArray(y, yo + q, S.indexInRange(0, cnt));
        }
    }

    // The backward of maxPool2Row for windows that tile x, in two small kernels (C1 gives up on
    // one large Vector API method, and code stuck in C1 runs the API's slow Java fallback):
    // maxPool2RowArgmax stores each window's maximum in y[yo .. yo+Q) (maxPool2Row's bits) and its
    // winner, 0..3 in row-major window order, in win[wo .. wo+Q); maxPool2RowScatter assigns
    // 0 + dy at the winner and 0 elsewhere (what accumulating into zeros would give), dx[dxTop ..]
    // laid out like x.
    static void maxPool2RowArgmax(float[] y, int yo, float[] win, int wo, float[] x, int top, int W, int Q) {
        FloatVector zero = FloatVector.zero(S);
        for (int q = 0; q < Q; q += L) {
            int cnt = Math.min(L, Q - q), i = top + 2 * q;
            VectorMask<Float> lo = S.indexInRange(0, 2 * cnt), hi = S.indexInRange(L, 2 * cnt);
            FloatVector a = FloatVector.fromArray(S, x, i, lo), b = FloatVector.fromArray(S, x, i + L, hi);
            FloatVector c = FloatVector.fromArray(S, x, i + W, lo), d = FloatVector.fromArray(S, x, i + W + L, hi);
            FloatVector best = EVEN.selectFrom(a, b), v = ODD.selectFrom(a, b), w = zero;
            VectorMask<Float> m = v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN)));
            best = best.blend(v, m);
            w = w.blend(1f, m);
            v = EVEN.selectFrom(c, d);
            m = v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN)));
            best = best.blend(v, m);
            w = w.blend(2f, m);
            v = ODD.selectFrom(c, d);
            m = v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN)));
            VectorMask<Float> out = S.indexInRange(0, cnt);
            best.blend(v, m).intoArray(y, yo + q, out);
            w.blend(3f, m).intoArray(win, wo + q, out);
        }
    }

    static void maxPool2RowScatter(float[] dx, int dxTop, float[] dy, int yo, float[] win, int wo, int W, int Q) {
        FloatVector zero = FloatVector.zero(S);
        for (int q = 0; q < Q; q += L) {
            int cnt = Math.min(L, Q - q), o = dxTop + 2 * q;
            VectorMask<Float> in = S.indexInRange(0, cnt), lo = S.indexInRange(0, 2 * cnt), hi = S.indexInRange(L, 2 * cnt);
            FloatVector g = zero.add(FloatVector.fromArray(S, dy, yo + q, in)), w = FloatVector.fromArray(S, win, wo + q, in);
            FloatVector l = zero.blend(g, w.compare(EQ, 0f)), r = zero.blend(g, w.compare(EQ, 1f));
            LOW.selectFrom(l, r).intoArray(dx, o, lo);
            HIGH.selectFrom(l, r).intoArray(dx, o + L, hi);
            l = zero.blend(g, w.compare(EQ, 2f));
            r = zero.blend(g, w.compare(EQ, 3f));
            LOW.selectFrom(l, r).intoArray(dx, o + W, lo);
            HIGH.selectFrom(l, r).intoArray(dx, o + W + L, hi);
        }
    }
}
