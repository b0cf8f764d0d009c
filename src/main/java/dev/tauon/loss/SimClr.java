package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.ops.ConcatRows;
import dev.tauon.ops.Linear;

// The SimCLR setting (docs/paper.md §1): two views z1, z2 (N,d), already L2-normalised (ops/L2Normalize);
// s = z·zᵀ over z = [z1; z2], self-similarity masked out of every row, the partner the positive,
// each view an anchor once, gradients through both sides of the product.
public final class SimClr {
    private SimClr() {}

    // z1, z2: (N,d) -> s: (2N,2N)
    public static Var similarity(Var z1, Var z2) {
        Var z = ConcatRows.apply(z1, z2);
        return Linear.apply(z, z, null);
    }

    // z1, z2: (N,d) -> scalar: any contrastive loss over the 2N views
    public static Var loss(ContrastiveLoss loss, Var z1, Var z2) {
        return loss.apply(similarity(z1, z2), Pairs.simclr(z1.dim(0)));
    }

    // NT-Xent: InfoNCE over in-batch negatives.
    public static Var ntXent(Var z1, Var z2, float tau) { return loss(new InfoNce(tau), z1, z2); }
}
