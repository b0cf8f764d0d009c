package dev.tauon.kernel;

import static dev.tauon.kernel.ScalarElementwise.*;

// The readable twins of VectorNorm's batch-norm plane kernels (Norm drives both). Sums keep
// ScalarElementwise's canonical order. x̂ is never stored: it is recomputed as (x − μ)·invStd,
// two roundings, wherever it is used.
public final class ScalarNorm {
    private ScalarNorm() {}

    // x: (n) -> Σ (x − mu)², d = x − mu rounded, then dot(d, d) in the canonical order
    public static float sumSquaredDeviation(float[] x, int off, int n, float mu) {
        float[] part = new float[CANON];
        int full = n - n % CANON;
        for (int i = 0; i < full; i++) { float d = x[off + i] - mu; part[i % CANON] = Math.fma(d, d, part[i % CANON]); }
        float s = fold(part);
        for (int i = full; i < n; i++) { float d = x[off + i] - mu; s = Math.fma(d, d, s); }
        return s;
    }

    // x: (n) -> y: (n), y = fma(g, (x − mu)·is, b), then max(y, 0) as relu() when relu
    public static void normalize(float[] y, int yOff, float[] x, int xOff, int n, float mu, float is, float g, float b, boolean relu) {
        for (int i = 0; i < n; i++) {
            float v = Math.fma(g, (x[xOff + i] - mu) * is, b);
            y[yOff + i] = relu ? (v > 0f ? v : 0f) : v;
        }
    }

    // The gradient at the batch norm's own output: dy, or with a fused relu 0 + dy where
    // fma(g, x̂, b) > 0 and 0 elsewhere (what reluBackward leaves in a zeroed buffer).
    static float normOutGrad(float dy, float x, float mu, float is, float g, float b, boolean relu) {
        return !relu ? dy : Math.fma(g, (x - mu) * is, b) > 0f ? 0f + dy : 0f;
    }

    // dy, x: (n) -> out[0] = sum(dy'), out[1] = dot(dy', x̂), each in the canonical order;
    // dy' = normOutGrad(dy)
    public static void sumAndDotXhat(float[] out, float[] dy, int dyOff, float[] x, int xOff, int n, float mu, float is, float g, float b, boolean relu) {
        float[] xhat = new float[n], d = new float[n];
        for (int i = 0; i < n; i++) {
            xhat[i] = (x[xOff + i] - mu) * is;
            d[i] = normOutGrad(dy[dyOff + i], x[xOff + i], mu, is, g, b, relu);
        }
        out[0] = sum(d, 0, n);
        out[1] = dot(d, 0, xhat, 0, n);
    }

    // dy, x: (n) -> dx: (n): t = k·(dy' − mdy − x̂·mdyx); dx += t when acc, else dx = 0 + t
    public static void normBackward(float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff, int n,
                                    float mu, float is, float k, float mdy, float mdyx, float g, float b, boolean relu, boolean acc) {
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i], t = k * (normOutGrad(dy[dyOff + i], xi, mu, is, g, b, relu) - mdy - (xi - mu) * is * mdyx);
            dx[dxOff + i] = (acc ? dx[dxOff + i] : 0f) + t;
        }
    }
}