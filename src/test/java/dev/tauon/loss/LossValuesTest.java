package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.ops.CrossEntropy;
import dev.tauon.ops.Scale;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// Every loss against a case small enough to do by hand (the arithmetic is in the comments).
class LossValuesTest {
    // Two bank anchors, three bank entries, positives on the diagonal.
    static Var twoRows() { return Var.param(Tensor.of(new float[] {0.5f, 0.1f, -0.2f, 0.3f, 0.9f, 0f}, 2, 3)); }

    static final Pairs DIAG = Pairs.bank(new int[] {0, 1});

    @Test void infoNceTwoAnchors() {
        // τ = 0.5, s/τ = [1, .2, −.4] and [.6, 1.8, 0]
        // row 0: log(e^1 + e^.2 + e^−.4) − 1 = log(2.71828 + 1.22140 + 0.67032) − 1 = 1.52823 − 1 = 0.52823
        // row 1: log(e^.6 + e^1.8 + e^0) − 1.8 = log(1.82212 + 6.04965 + 1) − 1.8 = 2.18287 − 1.8 = 0.38287
        // mean 0.45555; dS = (P − onehot)/(τ·A): P_0 = [.58965, .26495, .14541] -> [−.41035, .26495, .14541]
        Var s = twoRows();
        Var loss = new InfoNce(0.5f).apply(s, DIAG);
        assertEquals(0.4555514, loss.data()[0], 2e-6);
        loss.backward();
        assertArrayEquals(new float[] {-0.4103516f, 0.2649461f, 0.1454055f, 0.205384f, -0.3181011f, 0.1127171f}, s.grad().data(), 2e-6f);
    }

    @Test void infoNceIsCrossEntropyOnLogitsOverTau() {
        // bank setting without self: InfoNCE(s, τ) = CE(s/τ, pos), the existing op
        Var s = twoRows();
        float ce = CrossEntropy.apply(Scale.apply(s, 2f), new int[] {0, 1}).data()[0];
        assertEquals(ce, new InfoNce(0.5f).apply(s, DIAG).data()[0], 1e-6);
    }

    @Test void ntXentFourViews() {
        // z1 = [(1,0), (0,1)], z2 = [(.6,.8), (.8,−.6)]; s01 = 0, s02 = .6, s03 = .8, s12 = .8, s13 = −.6, s23 = 0
        // view 0 (partner 2): log(e^0 + e^1.2 + e^1.6) − 1.2 = log(1 + 3.32012 + 4.95303) − 1.2 = 1.02712
        // view 1 (partner 3): log(e^0 + e^1.6 + e^−1.2) + 1.2 = log(1 + 4.95303 + 0.30119) + 1.2 = 3.03326
        // views 2, 3 mirror 0, 1; mean 2.03019
        Var z1 = Var.param(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2));
        Var z2 = Var.param(Tensor.of(new float[] {0.6f, 0.8f, 0.8f, -0.6f}, 2, 2));
        assertEquals(2.0301903, SimClr.ntXent(z1, z2, 0.5f).data()[0], 3e-6);
    }

    @Test void hardKeepsTheTopKNegatives() {
        // K = 1: row 0 keeps .1 (over −.2): log(e^1 + e^.2) − 1 = 0.37110; row 1 keeps .3: log(e^.6 + e^1.8) − 1.8 = 0.26236
        Var loss = new HardContrastive(0.5f, 1).apply(twoRows(), DIAG);
        assertEquals((0.3711007 + (Math.log(Math.exp(0.6) + Math.exp(1.8)) - 1.8)) / 2, loss.data()[0], 2e-6);
    }

    @Test void simpleHardSimpleAndLimit() {
        // simple, λ = 1/3 with the positive inside: row 0: −.5 + (.5 + .1 − .2)/3 = −.36667; row 1: −.9 + 1.2/3 = −.5
        assertEquals((-0.3666667 - 0.5) / 2, new SimpleContrastive().apply(twoRows(), DIAG).data()[0], 1e-6);
        // hardsimple K = 2: row 0 top {.5, .1}: −.5 + .3 = −.2; row 1 top {.9, .3}: −.9 + .6 = −.3
        Var s = twoRows();
        Var hs = new HardSimple(2).apply(s, DIAG);
        assertEquals(-0.25, hs.data()[0], 1e-6);
        hs.backward();   // dS = (1/A)(1/K on the top-K − onehot): row 0 [.25 − .5, .25, 0]
        assertArrayEquals(new float[] {-0.25f, 0.25f, 0f, 0.25f, -0.25f, 0f}, s.grad().data(), 1e-7f);
        // limit: row 0 max(.1 − .5, 0) = 0; row 1: positive .0 at column 2, hardest negative .9: max(.9 − 0, 0) = .9
        Var t = twoRows();
        Var lim = new TripletLimit().apply(t, Pairs.bank(new int[] {0, 2}));
        assertEquals(0.45, lim.data()[0], 1e-6);
        lim.backward();   // only row 1 is active: +1/2 at the hardest negative, −1/2 at the positive
        assertArrayEquals(new float[] {0, 0, 0, 0, 0.5f, -0.5f}, t.grad().data(), 0f);
    }

    @Test void decoupledAndWeighted() {
        // DCL row 0: −1 + log(e^.2 + e^−.4) = −1 + log(1.89172) = −.36251; row 1: −1.8 + log(e^.6 + e^0) = −1.8 + 1.03749 = −.76251
        assertEquals((-0.3625120 + (Math.log(Math.exp(0.6) + 1) - 1.8)) / 2, Decoupled.dcl(0.5f).apply(twoRows(), DIAG).data()[0], 2e-6);
        // DCLW, σ = .5: softmax([.5, .9]/.5) = [.31003, .68997], w = 2 − 2p = [1.37995, .62005]
        // row 0: −1.37995·1 + .63749 = −.74246; row 1: −.62005·1.8 + 1.03749 = −.07860; mean −.41053
        assertEquals(-0.4105325, Decoupled.dclw(0.5f).apply(twoRows(), DIAG).data()[0], 3e-6);
    }

    @Test void supConAveragesOverLabelPositives() {
        // rows labelled [0, 1], columns [0, 0, 1, 1], τ = .5, no self column:
        // row 0: log Σ e^{2s} − (.9 + .5)/2/.5 = 2.35500 − 1.4 = .95500; row 1: 2.17163 − 1.1 = 1.07163; mean 1.01332
        Var s = Var.param(Tensor.of(new float[] {0.9f, 0.5f, 0.1f, -0.3f, 0.2f, 0f, 0.7f, 0.4f}, 2, 4));
        assertEquals(1.0133154, SupCon.apply(s, new int[] {0, 1}, new int[] {0, 0, 1, 1}, null, 0.5f).data()[0], 3e-6);
        // with a single positive per row SupCon is InfoNCE
        Var t = twoRows();
        assertEquals(new InfoNce(0.5f).apply(t, DIAG).data()[0], SupCon.apply(t, new int[] {0, 1}, new int[] {0, 1, 2}, null, 0.5f).data()[0]);
    }

    @Test void badInputsNameTheProblem() {
        var e = assertThrows(IllegalArgumentException.class, () -> new InfoNce(0.5f).apply(twoRows(), Pairs.bank(new int[] {0, 3})));
        assertTrue(e.getMessage().contains("positive column 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InfoNce(0f));
        assertThrows(IllegalArgumentException.class, () -> new HardContrastive(0.1f, 0));
        var n = assertThrows(IllegalArgumentException.class, () -> SupCon.apply(twoRows(), new int[] {0, 5}, new int[] {0, 1, 2}, null, 0.5f));
        assertTrue(n.getMessage().contains("no positive"), n.getMessage());
    }
}
