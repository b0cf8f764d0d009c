package dev.tauon.loss;

import dev.tauon.autograd.Var;

// The contrastive losses of docs/paper.md §2, each a differentiable op on a similarity matrix
// s: (A,C) with Pairs naming each row's positive and self column, so one implementation serves
// the memory-bank setting (MemoryBank.similarity) and the SimCLR setting (SimClr.similarity).
public sealed interface ContrastiveLoss permits InfoNce, HardContrastive, SimpleContrastive, HardSimple, TripletLimit, Decoupled {
    // s: (A,C), pairs over A rows -> scalar, the mean over anchors
    Var apply(Var s, Pairs pairs);

    String name();

    // Similarities of unit vectors lie in [−1, 1]; InfoNCE etc. stay finite for τ down to 0.01 there.
    static void checkTau(String loss, float tau) {
        if (!(tau > 0) || Float.isInfinite(tau)) throw new IllegalArgumentException(loss + ": temperature must be positive and finite, got " + tau);
    }
}
