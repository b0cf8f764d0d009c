package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dev.tauon.kernel.ScalarKernels.CANON;

// Vector API twins of ScalarKernels' batch-norm plane kernels (see there for the math). x̂ is
// recomputed as (x − μ)·invStd, the same two roundings as the scalar twin; reductions keep the
// CANON partial sums of ScalarKernels.dot and its fold, so every width gives the twin's bits.
final class VectorKernelsNorm {
    static final VectorSpecies<Float> S = VectorKernels.S;
    static final int L = S.length();

    private VectorKernelsNorm() {}

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
        float s = VectorKernels.foldAccumulators(a0, a1, a2, a3);
        for (; i < n; i++) { float d = x[off + i] - mu; s = Math.fma(d, d, s); }
        return s;
    }

    // x: (n) -> y: (n), y = fma(g, (x − mu)·is, b)
    static void normalize(float[] y, float[] x, int off, int n, float mu, float is, float g, float b) {
        int i = 0;
        FloatVector vg = FloatVector.broadcast(S, g), vb = FloatVector.broadcast(S, b);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            vg.fma(FloatVector.fromArray(S, x, off + i).sub(mu).mul(is), vb).intoArray(y, off + i);
        }
        for (; i < n; i++) y[off + i] = Math.fma(g, (x[off + i] - mu) * is, b);
    }

    // dy, x: (n) -> out[0] = Σ dy, out[1] = Σ dy·x̂
    static void sumAndDotXhat(float[] out, float[] dy, float[] x, int off, int n, float mu, float is) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, a0 = s0, a1 = s0, a2 = s0, a3 = s0;
        int full = n - n % CANON, i = 0;
        for (; i < full; i += CANON) {
            FloatVector g0 = FloatVector.fromArray(S, dy, off + i);
            s0 = s0.add(g0);
            a0 = g0.fma(FloatVector.fromArray(S, x, off + i).sub(mu).mul(is), a0);
            if (L <= 8) {
                FloatVector g1 = FloatVector.fromArray(S, dy, off + i + L);
                s1 = s1.add(g1);
                a1 = g1.fma(FloatVector.fromArray(S, x, off + i + L).sub(mu).mul(is), a1);
            }
            if (L <= 4) {
                FloatVector g2 = FloatVector.fromArray(S, dy, off + i + 2 * L), g3 = FloatVector.fromArray(S, dy, off + i + 3 * L);
                s2 = s2.add(g2);
                s3 = s3.add(g3);
                a2 = g2.fma(FloatVector.fromArray(S, x, off + i + 2 * L).sub(mu).mul(is), a2);
                a3 = g3.fma(FloatVector.fromArray(S, x, off + i + 3 * L).sub(mu).mul(is), a3);
            }
        }
        float s = VectorKernels.foldAccumulators(s0, s1, s2, s3), a = VectorKernels.foldAccumulators(a0, a1, a2, a3);
        for (; i < n; i++) {
            s += dy[off + i];
            a = Math.fma(dy[off + i], (x[off + i] - mu) * is, a);
        }
        out[0] = s;
        out[1] = a;
    }

    // dy, x: (n) -> dx: (n), accumulated: dx += k·(dy − mdy − x̂·mdyx)
    static void backward(float[] dx, float[] dy, float[] x, int off, int n, float mu, float is, float k, float mdy, float mdyx) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(mu).mul(is);
            FloatVector t = FloatVector.fromArray(S, dy, off + i).sub(mdy).sub(xhat.mul(mdyx)).mul(k);
            FloatVector.fromArray(S, dx, off + i).add(t).intoArray(dx, off + i);
        }
        for (; i < n; i++) dx[off + i] += k * (dy[off + i] - mdy - (x[off + i] - mu) * is * mdyx);
    }
}
