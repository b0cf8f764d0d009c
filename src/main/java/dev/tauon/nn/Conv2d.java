package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.List;

// (N,C,H,W) -> (N,K,P,Q), R×R kernel, no bias; Kaiming-normal weight (fan-in C·R·R).
public final class Conv2d implements Layer {
    private final Var weight;
    private final int stride, pad;

    public Conv2d(int in, int out, int kernel, int stride, int pad, Rng rng) {
        Tensor w = Tensor.zeros(out, in, kernel, kernel);
        Init.kaimingNormal(w.data(), in * kernel * kernel, rng);
        this.weight = Var.param(w);
        this.stride = stride;
        this.pad = pad;
    }

    @Override public Var forward(Var x) { return dev.tauon.ops.Conv2d.apply(x, weight, stride, pad); }

    @Override public List<Parameter> parameters() { return List.of(new Parameter("weight", weight)); }
}
