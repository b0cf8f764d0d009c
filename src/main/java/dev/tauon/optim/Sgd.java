package dev.tauon.optim;

import dev.tauon.nn.Parameter;
import dev.tauon.tensor.Tensor;

import java.util.List;

// SGD with momentum, Nesterov and L2 weight decay, PyTorch's semantics:
//   g ← ∇ + wd·w;  v ← μ·v + g;  w ← w − lr·(nesterov ? g + μ·v : v)
public final class Sgd implements Optimizer {
    private final List<Parameter> params;
    private final float momentum, weightDecay;
    private final boolean nesterov;
    private final float[][] velocity;
    private double lr;

    public Sgd(List<Parameter> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.weightDecay = (float) weightDecay;
        this.velocity = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) velocity[i] = new float[params.get(i).value().size()];
    }

    @Override public void step() {
        float rate = (float) lr, mu = momentum, wd = weightDecay;
        for (int i = 0; i < params.size(); i++) {
            Tensor grad = params.get(i).var().grad();
            if (grad == null) continue;
            float[] w = params.get(i).data(), g = grad.data(), v = velocity[i];
            for (int j = 0; j < w.length; j++) {
                float gj = Math.fma(wd, w[j], g[j]);
                v[j] = Math.fma(mu, v[j], gj);
                float d = nesterov ? Math.fma(mu, v[j], gj) : v[j];
                w[j] = Math.fma(-rate, d, w[j]);
            }
        }
    }

    @Override public double lr() { return lr; }
    @Override public void setLr(double lr) { this.lr = lr; }
    @Override public List<Parameter> parameters() { return params; }
    @Override public List<float[]> state() { return java.util.Arrays.asList(velocity); }
}
