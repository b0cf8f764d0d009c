package dev.tauon.optim;

import dev.tauon.kernel.Kernels;
import dev.tauon.nn.Parameter;
import dev.tauon.tensor.Tensor;

import java.util.List;

// LARS (You et al. 2017) as used by SimCLR: per-layer trust ratio η·‖w‖ / ‖∇ + wd·w‖ scales the
// learning rate; biases and 1-d parameters (batch-norm γ, β) skip decay and adaptation.
//   g ← ∇ + wd·w;  g ← trust·g;  v ← μ·v + g;  w ← w − lr·v
public final class Lars implements Optimizer {
    private final List<Parameter> params;
    private final float momentum, weightDecay, eta;
    private final float[][] velocity;
    private double lr;

    public Lars(List<Parameter> params, double lr, double momentum, double weightDecay, double eta) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.eta = (float) eta;
        this.velocity = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) velocity[i] = new float[params.get(i).value().size()];
    }

    @Override public void step() {
        float rate = (float) lr;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor grad = p.var().grad();
            if (grad == null) continue;
            float[] w = p.data(), g = grad.data(), v = velocity[i];
            boolean adapt = p.value().rank() > 1;
            float wd = adapt ? weightDecay : 0f, trust = 1f;
            if (adapt) {
                float wNorm = (float) Math.sqrt(Kernels.dot(w, 0, w, 0, w.length));
                double gg = 0;
                for (int j = 0; j < w.length; j++) { float d = Math.fma(wd, w[j], g[j]); gg += (double) d * d; }
                float gNorm = (float) Math.sqrt(gg);
                if (wNorm > 0 && gNorm > 0) trust = eta * wNorm / gNorm;
            }
            for (int j = 0; j < w.length; j++) {
                float gj = trust * Math.fma(wd, w[j], g[j]);
                v[j] = Math.fma(momentum, v[j], gj);
                w[j] = Math.fma(-rate, v[j], w[j]);
            }
        }
    }

    @Override public double lr() { return lr; }
    @Override public void setLr(double lr) { this.lr = lr; }
    @Override public List<Parameter> parameters() { return params; }
    @Override public List<float[]> state() { return java.util.Arrays.asList(velocity); }
}
