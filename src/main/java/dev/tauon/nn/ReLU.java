package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.ops.Relu;

// max(x, 0)
public final class ReLU implements Layer {
    @Override public Var forward(Var x) { return Relu.apply(x); }
}
