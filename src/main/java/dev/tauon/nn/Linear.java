package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

// x: (N,in) -> (N,out), y = x·Wᵀ + b. Kaiming-normal weight, zero bias.
public final class Linear implements Layer {
    private final Var weight, bias;

    public Linear(int in, int out, boolean bias, Rng rng) {
        Tensor w = Tensor.zeros(out, in);
        Init.kaimingNormal(w.data(), in, rng);
        this.weight = Var.param(w);
        this.bias = bias ? Var.param(Tensor.zeros(out)) : null;
    }

    @Override public Var forward(Var x) { return dev.tauon.ops.Linear.apply(x, weight, bias); }

    @Override public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(new Parameter("weight", weight));
        if (bias != null) ps.add(new Parameter("bias", bias));
        return ps;
    }
}
