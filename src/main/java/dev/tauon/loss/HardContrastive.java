package dev.tauon.loss;

import dev.tauon.autograd.Var;

// The hard contrastive loss, docs/paper.md §2: only the K most similar negatives of each row enter
//   L_i = −log[ e^{s_ip/τ} / (e^{s_ip/τ} + Σ_{k∈topK(i)} e^{s_ik/τ}) ];
// the selection (ties to the lower column) is not differentiated. With K = all negatives it is
// InfoNCE bit for bit: both sum the same candidates in column order through SoftmaxContrast.
public record HardContrastive(float tau, int k) implements ContrastiveLoss {
    // The paper keeps 4095 of 49,999 negatives (α ≈ 8.2%).
    public static final double ALPHA = 4095.0 / 49999.0;

    public HardContrastive {
        ContrastiveLoss.checkTau("hard", tau);
        if (k < 1) throw new IllegalArgumentException("hard: K must be at least 1, got " + k);
    }

    // K ≈ 8% of the negatives, as the paper (4095 for a 50,000-image bank).
    public static int defaultK(int negatives) { return (int) Math.max(1, Math.round(ALPHA * negatives)); }

    // s: (A,C) -> scalar
    @Override public Var apply(Var s, Pairs pairs) {
        SoftmaxContrast.checkSimilarity(name(), s);
        pairs.check(name(), s.dim(0), s.dim(1));
        Support d = Support.topK(s.data(), s.dim(0), s.dim(1), k, pairs.pos(), pairs.self(), pairs.pos());
        return SoftmaxContrast.apply(name(), s, d, SoftmaxContrast.Positives.single(pairs.pos(), null), tau);
    }

    @Override public String name() { return "hard"; }
}
