package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

// Vector API twins of Pool's 2×2, stride-2 max pooling, one output row at a time. Lanes are
// output columns: two-vector permutes split each input row into its even and odd columns, and
// the window is scanned in Pool.argmax's order (top-left, top-right, bottom-left, bottom-right;
// a later value wins only if strictly greater, or if it is NaN and the best so far is not), so
// every lane picks the twin's argmax and the twin's bits follow.
final class VectorKernelsPool {
    static final VectorSpecies<Float> S = VectorKernels.S;
    static final int L = S.length();
    private static final FloatVector EVEN = evens(0), ODD = evens(1);
    private static final FloatVector LOW = interleave(0), HIGH = interleave(L / 2);

    private VectorKernelsPool() {}

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

    // lanes where v replaces best in Pool.better's order
    private static VectorMask<Float> better(FloatVector v, FloatVector best) {
        return v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
    }

    // y[yo .. yo+Q) = max over the windows whose top rows start at x[top] and x[top + W]
    static void maxPool2Row(float[] y, int yo, float[] x, int top, int W, int Q) {
        for (int q = 0; q < Q; q += L) {
            int cnt = Math.min(L, Q - q), i = top + 2 * q;
            VectorMask<Float> lo = S.indexInRange(0, 2 * cnt), hi = S.indexInRange(L, 2 * cnt);
            FloatVector a = FloatVector.fromArray(S, x, i, lo), b = FloatVector.fromArray(S, x, i + L, hi);
            FloatVector c = FloatVector.fromArray(S, x, i + W, lo), d = FloatVector.fromArray(S, x, i + W + L, hi);
            FloatVector best = EVEN.selectFrom(a, b);
            FloatVector v = ODD.selectFrom(a, b);
            best = best.blend(v, better(v, best));
            v = EVEN.selectFrom(c, d);
            best = best.blend(v, better(v, best));
            v = ODD.selectFrom(c, d);
            best = best.blend(v, better(v, best));
            best.intoArray(y, yo + q, S.indexInRange(0, cnt));
        }
    }

    // The backward of maxPool2Row for windows that tile x: each window of dx is assigned
    // 0 + dy at its argmax and 0 elsewhere (what accumulating into zeros would give).
    // dx[dxTop ..] is laid out like x[top ..].
    static void maxPool2RowBackward(float[] dx, int dxTop, float[] dy, int yo, float[] x, int top, int W, int Q) {
        FloatVector zero = FloatVector.zero(S);
        for (int q = 0; q < Q; q += L) {
            int cnt = Math.min(L, Q - q), i = top + 2 * q, o = dxTop + 2 * q;
            VectorMask<Float> lo = S.indexInRange(0, 2 * cnt), hi = S.indexInRange(L, 2 * cnt);
            FloatVector a = FloatVector.fromArray(S, x, i, lo), b = FloatVector.fromArray(S, x, i + L, hi);
            FloatVector c = FloatVector.fromArray(S, x, i + W, lo), d = FloatVector.fromArray(S, x, i + W + L, hi);
            FloatVector best = EVEN.selectFrom(a, b);
            FloatVector v = ODD.selectFrom(a, b);
            VectorMask<Float> s1 = better(v, best);
            best = best.blend(v, s1);
            v = EVEN.selectFrom(c, d);
            VectorMask<Float> s2 = better(v, best);
            best = best.blend(v, s2);
            VectorMask<Float> s3 = better(ODD.selectFrom(c, d), best);
            FloatVector g = FloatVector.fromArray(S, dy, yo + q, S.indexInRange(0, cnt));
            FloatVector g11 = zero.add(g, s3), g10 = zero.add(g, s2.andNot(s3));
            FloatVector g01 = zero.add(g, s1.andNot(s2).andNot(s3)), g00 = zero.add(g, s1.or(s2).or(s3).not());
            LOW.selectFrom(g00, g01).intoArray(dx, o, lo);
            HIGH.selectFrom(g00, g01).intoArray(dx, o + L, hi);
            LOW.selectFrom(g10, g11).intoArray(dx, o + W, lo);
            HIGH.selectFrom(g10, g11).intoArray(dx, o + W + L, hi);
        }
    }
}
