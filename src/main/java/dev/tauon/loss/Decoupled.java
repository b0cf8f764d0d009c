package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.kernel.Kernels;

// Decoupled contrastive loss (Yeh et al. 2021), docs/paper.md §2: the positive leaves the denominator,
//   DCL:  L_i = −s_ip/τ + log Σ_{k≠p,self} e^{s_ik/τ}
//   DCLW: L_i = −w_i s_ip/τ + log Σ_{k≠p,self} e^{s_ik/τ},  w_i = 2 − A·softmax_i(s_ip/σ) over the
//         A anchors of the batch, treated as a constant (σ = 0.5 in the paper).
public record Decoupled(float tau, boolean weighted, float sigma) implements ContrastiveLoss {
    public Decoupled {
        ContrastiveLoss.checkTau("dcl", tau);
        if (weighted) ContrastiveLoss.checkTau("dclw sigma", sigma);
    }

    public static Decoupled dcl(float tau) { return new Decoupled(tau, false, Float.NaN); }

    public static Decoupled dclw(float tau) { return new Decoupled(tau, true, 0.5f); }

    // s: (A,C) -> scalar
    @Override public Var apply(Var s, Pairs pairs) {
        SoftmaxContrast.checkSimilarity(name(), s);
        int rows = s.dim(0), cols = s.dim(1);
        pairs.check(name(), rows, cols);
        return withWeights(s, pairs, weighted ? weights(s, pairs) : null);
    }

    // The loss with the positive weights w (A) held fixed (null: all 1, plain DCL).
    Var withWeights(Var s, Pairs pairs, float[] w) {
        Support d = Support.allBut(s.dim(0), s.dim(1), pairs.pos(), pairs.self());
        return SoftmaxContrast.apply(name(), s, d, SoftmaxContrast.Positives.single(pairs.pos(), w), tau);
    }

    // w_i = 2 − A·softmax_i(s_ip/σ), in the canonical order (a constant: no gradient through w).
    float[] weights(Var s, Pairs pairs) {
        int rows = s.dim(0), cols = s.dim(1);
        float[] v = new float[rows];
        for (int i = 0; i < rows; i++) v[i] = s.data()[i * cols + pairs.pos()[i]];
        float[] p = new float[rows];
        Kernels.softmaxRows(p, 0, scaled(v, 1f / sigma), 0, 1, rows);
        for (int i = 0; i < rows; i++) p[i] = 2f - rows * p[i];
        return p;
    }

    private static float[] scaled(float[] v, float c) {
        for (int i = 0; i < v.length; i++) v[i] *= c;
        return v;
    }

    @Override public String name() { return weighted ? "dclw" : "dcl"; }
}
