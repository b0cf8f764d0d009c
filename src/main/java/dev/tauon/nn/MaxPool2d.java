package dev.tauon.nn;

import dev.tauon.autograd.Var;

// k×k max pooling with stride k (no padding)
public final class MaxPool2d implements Layer {
    private final int k;

    public MaxPool2d(int k) { this.k = k; }

    public int size() { return k; }

    @Override public Var forward(Var x) { return dev.tauon.ops.MaxPool2d.apply(x, k, k); }
}
