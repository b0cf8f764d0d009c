package dev.tauon.nn;

import dev.tauon.autograd.Var;

// (N,C,H,W) -> (N,C)
public final class GlobalAvgPool implements Layer {
    @Override public Var forward(Var x) { return dev.tauon.ops.GlobalAvgPool.apply(x); }
}
