package dev.tauon.loss;

import dev.tauon.autograd.Var;

// Supervised contrastive loss (Khosla et al. 2020, L_out): labels define the positives,
//   L_i = −(1/|P(i)|) Σ_{p∈P(i)} log[ e^{s_ip/τ} / Σ_{k≠self} e^{s_ik/τ} ],
// P(i) = columns with the anchor's label other than self. Same fused op as InfoNCE (docs/paper.md §2)
// with positive weights 1/|P(i)|: dS_ij = (P_ij − [j∈P(i)]/|P(i)|)/τ.
public final class SupCon {
    private SupCon() {}

    // s: (A,C), rowLabels: (A), colLabels: (C), self: (A) or null -> scalar
    public static Var apply(Var s, int[] rowLabels, int[] colLabels, int[] self, float tau) {
        SoftmaxContrast.checkSimilarity("supcon", s);
        ContrastiveLoss.checkTau("supcon", tau);
        int rows = s.dim(0), cols = s.dim(1);
        if (rowLabels.length != rows || colLabels.length != cols || (self != null && self.length != rows)) {
            throw new IllegalArgumentException("supcon: similarity " + s.shape() + " with " + rowLabels.length + " row labels and " + colLabels.length + " column labels");
        }
        int[] start = new int[rows + 1];
        int[] cols0 = new int[rows * cols];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) if (colLabels[j] == rowLabels[i] && (self == null || j != self[i])) cols0[n++] = j;
            start[i + 1] = n;
            if (start[i + 1] == start[i]) throw new IllegalArgumentException("supcon: anchor " + i + " (label " + rowLabels[i] + ") has no positive");
        }
        float[] w = new float[n];
        for (int i = 0; i < rows; i++) for (int t = start[i]; t < start[i + 1]; t++) w[t] = 1f / (start[i + 1] - start[i]);
        var positives = new SoftmaxContrast.Positives(start, java.util.Arrays.copyOf(cols0, n), w);
        return SoftmaxContrast.apply("supcon", s, Support.allBut(rows, cols, self, null), positives, tau);
    }

    // SimCLR layout: z = [z1; z2] (2N,d) with labels (N) for both views.
    public static Var simclr(Var z1, Var z2, int[] labels, float tau) {
        int n = z1.dim(0);
        int[] both = new int[2 * n];
        for (int i = 0; i < 2 * n; i++) both[i] = labels[i % n];
        return apply(SimClr.similarity(z1, z2), both, both, Pairs.simclr(n).self(), tau);
    }
}
