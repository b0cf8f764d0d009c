package dev.tauon.loss;

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.tensor.Tensor;

import java.util.Arrays;

// Two checks for an embedding collapsing to one point, the failure of the hard loss from an
// untrained network in the SimCLR setting (docs/reproduction.md, finding 7).
//
// The shrink slope: scale every distance between the unit vectors by c. With ‖a − b‖² = 2 − 2s
// the similarities become s_ij(c) = 1 − c²(1 − s_ij), so
//   dL/dc at c = 1  =  Σ_ij ∂L/∂s_ij · (−2)(1 − s_ij).
// A positive slope means shrinking the embedding (c < 1) lowers the loss, and the fully
// collapsed embedding (every s = 1) is downhill. The contraction keeps each row's order, so a
// top-K selection keeps the same columns and the slope is exact for the hard losses too.
public final class Collapse {
    private Collapse() {}

    // slope: dL/dc of the batch's loss (a mean over rows); shrinking: rows whose own term is > 0.
    public record Slope(double slope, int shrinking, int rows) {}

    // s: (rows, cols) similarities of unit vectors, as the loss reads them; not modified.
    public static Slope slope(ContrastiveLoss loss, float[] s, int rows, int cols, Pairs pairs) {
        if (s.length != rows * cols) throw new IllegalArgumentException("s holds " + s.length + " values, not " + rows + " x " + cols);
        Var v = Var.param(Tensor.of(s.clone(), rows, cols));
        loss.apply(v, pairs).backward();
        float[] g = v.grad().data();
        double total = 0;
        int shrinking = 0;
        for (int i = 0; i < rows; i++) {
            double row = 0;
            for (int j = 0; j < cols; j++) row += -2.0 * g[i * cols + j] * (1.0 - s[i * cols + j]);
            total += row;
            if (row > 0) shrinking++;
        }
        return new Slope(total, shrinking, rows);
    }

    // The loss of the collapsed embedding: every similarity 1 (InfoNCE over n candidates: ln n;
    // the hard loss: ln(K + 1)).
    public static double collapsedValue(ContrastiveLoss loss, int rows, int cols, Pairs pairs) {
        float[] ones = new float[rows * cols];
        Arrays.fill(ones, 1f);
        try (var off = Grad.off()) {
            return loss.apply(Var.constant(Tensor.of(ones, rows, cols)), pairs).data()[0];
        }
    }

    // Whether an epoch's mean loss sits at the collapsed value (within 0.2%, at least 2e-3).
    public static boolean atCollapsedValue(double epochLoss, double collapsed) {
        return Math.abs(epochLoss - collapsed) <= 2e-3 * Math.max(1, Math.abs(collapsed));
    }
}
