package dev.tauon.loss;

import dev.tauon.autograd.Var;

// The τ→0⁺ limit of τ·InfoNCE, docs/paper.md §2: L_i = max(s_max − s_ip, 0), s_max the hardest negative
// (ties to the lower column): a margin-0 triplet loss, kept for teaching; it learns nothing useful.
public record TripletLimit() implements ContrastiveLoss {
    // s: (A,C) -> scalar
    @Override public Var apply(Var s, Pairs pairs) {
        SoftmaxContrast.checkSimilarity(name(), s);
        int rows = s.dim(0), cols = s.dim(1);
        pairs.check(name(), rows, cols);
        Support d = Support.topK(s.data(), rows, cols, 1, pairs.pos(), pairs.self(), null);
        return LinearContrast.apply(name(), s, d, pairs.pos(), ones(rows), true);
    }

    @Override public String name() { return "limit"; }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
