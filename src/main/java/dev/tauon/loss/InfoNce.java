package dev.tauon.loss;

import dev.tauon.autograd.Var;

// The ordinary contrastive loss (InfoNCE; NT-Xent in the SimCLR setting), docs/paper.md §2:
//   L_i = −log[ e^{s_ip/τ} / Σ_{k≠self} e^{s_ik/τ} ],  ∂L/∂s_ip = −(1 − P_ip)/τ,  ∂L/∂s_ij = P_ij/τ.
public record InfoNce(float tau) implements ContrastiveLoss {
    public InfoNce { ContrastiveLoss.checkTau("infonce", tau); }

    // s: (A,C) -> scalar
    @Override public Var apply(Var s, Pairs pairs) {
        SoftmaxContrast.checkSimilarity(name(), s);
        pairs.check(name(), s.dim(0), s.dim(1));
        Support d = Support.allBut(s.dim(0), s.dim(1), pairs.self(), null);
        return SoftmaxContrast.apply(name(), s, d, SoftmaxContrast.Positives.single(pairs.pos(), null), tau);
    }

    @Override public String name() { return "infonce"; }
}
