package dev.tauon.optim;

import dev.tauon.nn.Parameter;
import dev.tauon.tensor.Tensor;

import java.util.List;

// AdamW (Loshchilov & Hutter): decoupled weight decay, bias-corrected moments.
//   w ← w − lr·wd·w;  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
//   w ← w − lr·m̂ / (√v̂ + ε),  m̂ = m / (1−β1ᵗ), v̂ = v / (1−β2ᵗ)
public final class AdamW implements Optimizer {
    private final List<Parameter> params;
    private final float beta1, beta2, eps, weightDecay;
    private final float[][] m, v;
    private double lr;
    private int t;

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.m = new float[params.size()][];
        this.v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).value().size()];
            v[i] = new float[params.get(i).value().size()];
        }
    }

    public AdamW(List<Parameter> params, double lr, double weightDecay) {
        this(params, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    @Override public void step() {
        t++;
        float rate = (float) lr;
        float c1 = (float) (1 - StrictMath.pow(beta1, t)), c2 = (float) (1 - StrictMath.pow(beta2, t));
        float decay = 1f - rate * weightDecay;
        for (int i = 0; i < params.size(); i++) {
            Tensor grad = params.get(i).var().grad();
            if (grad == null) continue;
            float[] w = params.get(i).data(), g = grad.data(), mi = m[i], vi = v[i];
            for (int j = 0; j < w.length; j++) {
                w[j] *= decay;
                mi[j] = Math.fma(beta1, mi[j], (1f - beta1) * g[j]);
                vi[j] = Math.fma(beta2, vi[j], (1f - beta2) * g[j] * g[j]);
                float mHat = mi[j] / c1, vHat = vi[j] / c2;
                w[j] -= rate * mHat / ((float) Math.sqrt(vHat) + eps);
            }
        }
    }

    @Override public double lr() { return lr; }
    @Override public void setLr(double lr) { this.lr = lr; }
    @Override public List<Parameter> parameters() { return params; }

    @Override public List<float[]> state() {
        List<float[]> out = new java.util.ArrayList<>(java.util.Arrays.asList(m));
        out.addAll(java.util.Arrays.asList(v));
        return out;
    }

    @Override public long steps() { return t; }
    @Override public void setSteps(long steps) { t = Math.toIntExact(steps); }
}
