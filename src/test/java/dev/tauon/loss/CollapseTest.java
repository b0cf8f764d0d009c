package dev.tauon.loss;

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.ops.L2Normalize;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollapseTest {
    // Two bank rows, positive in column 0, τ = 0.5: row 0's positive trails a negative (0.2 vs 0.6),
    // row 1's leads (0.9). Per row dL/dc = (2/τ) Σ_k P_k (s_k − s_p) over the kept negatives, P the
    // softmax over the positive and the kept negatives (hand-computed in double).
    static final float[] S = {0.2f, 0.6f, -0.4f, 0.9f, 0.1f, 0.0f};

    @Test void slopeMatchesHandComputedValues() {
        Pairs pairs = Pairs.bank(new int[] {0, 0});
        // InfoNCE: rows 0.8047101 and -0.9078036; the batch loss is their mean
        Collapse.Slope info = Collapse.slope(new InfoNce(0.5f), S, 2, 3, pairs);
        assertEquals(-0.0515467, info.slope(), 1e-5);
        assertEquals(1, info.shrinking());
        assertEquals(2, info.rows());
        // the hard loss with K = 1 keeps 0.6 in row 0 and 0.1 in row 1
        Collapse.Slope hard = Collapse.slope(new HardContrastive(0.5f, 1), S, 2, 3, pairs);
        assertEquals(0.2832090, hard.slope(), 1e-5);
        assertEquals(1, hard.shrinking());
    }

    // The slope is the derivative of the loss along s_ij(c) = 1 − c²(1 − s_ij): central differences
    // of each loss at the SimCLR setting's shape, from random unit vectors.
    @Test void slopeIsTheDerivativeOfTheLossUnderShrinking() {
        int b = 16, n = 2 * b, d = 8;
        Tensor z = Tensor.zeros(n, d);
        Rng.seeded(3).fillNormal(z.data(), 0, n * d, 0, 1);
        float[] s;
        try (var off = Grad.off()) {
            Var u = L2Normalize.apply(Var.constant(z));
            s = dev.tauon.ops.Linear.apply(u, u, null).data().clone();
        }
        Pairs pairs = Pairs.simclr(b);
        for (ContrastiveLoss loss : List.of(new InfoNce(0.2f), new HardContrastive(0.2f, 3), new SimpleContrastive(), new HardSimple(3), Decoupled.dcl(0.5f))) {
            double h = 1e-2, fd = (value(loss, s, n, pairs, 1 + h) - value(loss, s, n, pairs, 1 - h)) / (2 * h);
            double got = Collapse.slope(loss, s, n, n, pairs).slope();
            assertEquals(fd, got, 2e-3 * Math.max(1, Math.abs(fd)), loss.name());
        }
    }

    static double value(ContrastiveLoss loss, float[] s, int n, Pairs pairs, double c) {
        float[] sc = new float[s.length];
        for (int i = 0; i < s.length; i++) sc[i] = (float) (1 - c * c * (1 - (double) s[i]));
        try (var off = Grad.off()) {
            return loss.apply(Var.constant(Tensor.of(sc, n, n)), pairs).data()[0];
        }
    }

    @Test void collapsedValues() {
        int b = 8, n = 2 * b;
        Pairs pairs = Pairs.simclr(b);
        assertEquals(Math.log(n - 1), Collapse.collapsedValue(new InfoNce(0.2f), n, n, pairs), 1e-5);        // positive + 14 negatives
        assertEquals(Math.log(4 + 1), Collapse.collapsedValue(new HardContrastive(0.2f, 4), n, n, pairs), 1e-5);
        assertEquals(0, Collapse.collapsedValue(new SimpleContrastive(), n, n, pairs), 1e-6);
        assertEquals(Math.log(3), Collapse.collapsedValue(new InfoNce(0.5f), 2, 3, Pairs.bank(new int[] {0, 2})), 1e-6);
        // the bank setting: every row is alike at collapse, so one row (as Pretrain asks) gives the batch's value
        HardContrastive hard = new HardContrastive(1f, 40);
        double one = Collapse.collapsedValue(hard, 1, 500, Pairs.bank(new int[] {0}));
        assertEquals(Math.log(41), one, 1e-5);
        assertEquals(one, Collapse.collapsedValue(hard, 3, 500, Pairs.bank(new int[] {7, 0, 499})), 1e-6);
    }

    @Test void atCollapsedValueIsAFifthOfAPercent() {
        double ln22 = Math.log(22);
        assertTrue(Collapse.atCollapsedValue(3.091044, ln22));       // the study's collapsed run, epochs 2-10
        assertTrue(Collapse.atCollapsedValue(3.094334, ln22));       // its first epoch, 0.1% above
        assertFalse(Collapse.atCollapsedValue(3.0995, ln22));        // 0.27% above
        assertFalse(Collapse.atCollapsedValue(2.989177, ln22));      // the hard loss at τ 0.5, learning
        assertTrue(Collapse.atCollapsedValue(0.0019, 0));            // the simple loss: absolute 2e-3 near 0
        assertFalse(Collapse.atCollapsedValue(0.0021, 0));
        assertFalse(Collapse.atCollapsedValue(-0.1031, 0));
    }
}
