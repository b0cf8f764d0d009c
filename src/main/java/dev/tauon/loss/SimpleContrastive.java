package dev.tauon.loss;

import dev.tauon.autograd.Var;

import java.util.Arrays;

// The simple contrastive loss, docs/paper.md §2, as the paper's code: L_i = −s_ip + λ Σ_{k≠self} s_ik,
// the positive inside the sum, λ = 1/N unless given: N = candidates per row (the bank size; 2N−1
// in the SimCLR setting, where a view is not its own candidate).
// Equal penalty λ on every negative: no hardness awareness.
public record SimpleContrastive(float lambda) implements ContrastiveLoss {
    public static final float DEFAULT = Float.NaN;     // λ = 1/N

    public SimpleContrastive() { this(DEFAULT); }

    // s: (A,C) -> scalar
    @Override public Var apply(Var s, Pairs pairs) {
        SoftmaxContrast.checkSimilarity(name(), s);
        int rows = s.dim(0), cols = s.dim(1);
        pairs.check(name(), rows, cols);
        float[] l = new float[rows];
        for (int i = 0; i < rows; i++) l[i] = Float.isNaN(lambda) ? 1f / (cols - (pairs.self()[i] >= 0 ? 1 : 0)) : lambda;
        return LinearContrast.apply(name(), s, Support.allBut(rows, cols, pairs.self(), null), pairs.pos(), l, false);
    }

    @Override public String name() { return "simple"; }
}
