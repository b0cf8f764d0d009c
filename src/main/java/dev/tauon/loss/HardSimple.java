package dev.tauon.loss;

import dev.tauon.autograd.Var;

// HardSimple, docs/paper.md §2: L_i = −s_ip + (1/K) Σ_{k∈topK(i)} s_ik, the top K over every column
// but self (the positive usually among them, as the paper's code with K = 4096); not differentiated
// through the selection.
public record HardSimple(int k) implements ContrastiveLoss {
    public HardSimple {
        if (k < 1) throw new IllegalArgumentException("hardsimple: K must be at least 1, got " + k);
    }

    // s: (A,C) -> scalar
    @Override public Var apply(Var s, Pairs pairs) {
        SoftmaxContrast.checkSimilarity(name(), s);
        int rows = s.dim(0), cols = s.dim(1);
        pairs.check(name(), rows, cols);
        Support d = Support.topK(s.data(), rows, cols, k, pairs.self(), null, null);
        float[] l = new float[rows];
        for (int i = 0; i < rows; i++) l[i] = 1f / d.size(i);
        return LinearContrast.apply(name(), s, d, pairs.pos(), l, false);
    }

    @Override public String name() { return "hardsimple"; }
}
