package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.tauon.kernel.ScalarElementwise.CANON;

// Vector API twins of ScalarNorm's batch-norm plane kernels (see there for the math). x̂ is
// recomputed as (x − μ)·invStd, the same two roundings as the scalar twin; reductions keep the
// CANON partial sums of ScalarElementwise.dot and its fold, so every width gives the twin's bits.
final class VectorNorm {
    static final VectorSpecies<Float> S = VectorElementwise.S;
    static final int L = S.length();

    private VectorNorm() {}

    // x: (n) -> Σ (x − mu)²
    static float sumSquaredDeviation(float[] x, int off, int n, float mu) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int full = n - n % CANON, i = 0;
        for (; i < full; i += CANON) {
            FloatVector d0 = FloatVector.fromArray(S, x, off + i).sub(mu);
            a0 = d0.fma(d0, a0);
            if (L <= 8) { FloatVector d = FloatVector.fromArray(S, x, off + i + L).sub(mu); a1 = d.fma(d, a1); }
            if (L <= 4) {
                FloatVector d2 = FloatVector.fromArray(S, x, off + i + 2 * L).sub(mu);
                FloatVector d3 = FloatVector.fromArray(S, x, off + i + 3 * L).sub(mu);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
        }
        float s = VectorElementwise.foldAccumulators(a0, a1, a2, a3);
        for (; i < n; i++) { float d = x[off + i] - mu; s = Math.fma(d, d, s); }
        return s;
    }

    // x: (n) -> y: (n), y = fma(g, (x − mu)·is, b), then max(y, 0) when relu
    static void normalize(float[] y, int yOff, float[] x, int xOff, int n, float mu, float is, float g, float b, boolean relu) {
        int i = 0;
        FloatVector vg = FloatVector.broadcast(S, g), vb = FloatVector.broadcast(S, b), zero = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = vg.fma(FloatVector.fromArray(S, x, xOff + i).sub(mu).mul(is), vb);
            (relu ? zero.blend(v, v.compare(VectorOperators.GT, 0f)) : v).intoArray(y, yOff + i);
        }
        ScalarNorm.normalize(y, yOff + i, x, xOff + i, n - i, mu, is, g, b, relu);
    }

    // dy, x: (n) -> out[0] = Σ dy', out[1] = Σ dy'·x̂ (dy' as ScalarNorm.normOutGrad)
    static void sumAndDotXhat(float[] out, float[] dy, int dyOff, float[] x, int xOff, int n, float mu, float is, float g, float b, boolean relu) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, a0 = s0, a1 = s0, a2 = s0, a3 = s0;
        // dy' = 0 + dy where fma(g, x̂, b) > 0, else 0, with relu (ScalarNorm.normOutGrad); written
        // out in place: a helper taking vectors may not inline and would box them (JAVA-NOTES)
        FloatVector vg = FloatVector.broadcast(S, g), vb = FloatVector.broadcast(S, b), zero = FloatVector.zero(S);
        int full = n - n % CANON, i = 0;
        for (; i < full; i += CANON) {
            FloatVector h0 = FloatVector.fromArray(S, x, xOff + i).sub(mu).mul(is);
            FloatVector g0 = FloatVector.fromArray(S, dy, dyOff + i);
            if (relu) g0 = zero.add(g0, vg.fma(h0, vb).compare(VectorOperators.GT, 0f));
            s0 = s0.add(g0);
            a0 = g0.fma(h0, a0);
            if (L <= 8) {
                FloatVector h1 = FloatVector.fromArray(S, x, xOff + i + L).sub(mu).mul(is);
                FloatVector g1 = FloatVector.fromArray(S, dy, dyOff + i + L);
                if (relu) g1 = zero.add(g1, vg.fma(h1, vb).compare(VectorOperators.GT, 0f));
                s1 = s1.add(g1);
                a1 = g1.fma(h1, a1);
            }
            if (L <= 4) {
                FloatVector h2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).sub(mu).mul(is);
                FloatVector h3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).sub(mu).mul(is);
                FloatVector g2 = FloatVector.fromArray(S, dy, dyOff + i + 2 * L);
                if (relu) g2 = zero.add(g2, vg.fma(h2, vb).compare(VectorOperators.GT, 0f));
                FloatVector g3 = FloatVector.fromArray(S, dy, dyOff + i + 3 * L);
                if (relu) g3 = zero.add(g3, vg.fma(h3, vb).compare(VectorOperators.GT, 0f));
                s2 = s2.add(g2);
                s3 = s3.add(g3);
                a2 = g2.fma(h2, a2);
                a3 = g3.fma(h3, a3);
            }
        }
        float s = VectorElementwise.foldAccumulators(s0, s1, s2, s3), a = VectorElementwise.foldAccumulators(a0, a1, a2, a3);
        for (; i < n; i++) {
            float d = ScalarNorm.normOutGrad(dy[dyOff + i], x[xOff + i], mu, is, g, b, relu);
            s += d;
            a = Math.fma(d, (x[xOff + i] - mu) * is, a);
        }
        out[0] = s;
        out[1] = a;
    }

    // dy, x: (n) -> dx: (n): t = k·(dy' − mdy − x̂·mdyx); dx += t when acc, else dx = 0 + t
    static void normBackward(float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff, int n,
                         float mu, float is, float k, float mdy, float mdyx, float g, float b, boolean relu, boolean acc) {
        int i = 0;
        FloatVector vg = FloatVector.broadcast(S, g), vb = FloatVector.broadcast(S, b), zero = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xhat = FloatVector.fromArray(S, x, xOff + i).sub(mu).mul(is);
            FloatVector d = FloatVector.fromArray(S, dy, dyOff + i);
            if (relu) d = zero.add(d, vg.fma(xhat, vb).compare(VectorOperators.GT, 0f));   // ScalarNorm.normOutGrad
            FloatVector t = d.sub(mdy).sub(xhat.mul(mdyx)).mul(k);
            (acc ? FloatVector.fromArray(S, dx, dxOff + i) : zero).add(t).intoArray(dx, dxOff + i);
        }
        ScalarNorm.normBackward(dx, dxOff + i, dy, dyOff + i, x, xOff + i, n - i, mu, is, k, mdy, mdyx, g, b, relu, acc);
    }
}
