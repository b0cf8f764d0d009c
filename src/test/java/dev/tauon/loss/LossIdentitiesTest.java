package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.kernel.Parallel;
import dev.tauon.metrics.HardnessProfile;
import dev.tauon.ops.L2Normalize;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// The paper's identities (docs/paper.md §2) as properties of the code, and stability at τ = 0.01.
class LossIdentitiesTest {
    static Var randomSimilarities(long seed, int rows, int cols) {
        Tensor s = Tensor.zeros(rows, cols);
        Rng.seeded(seed).fillUniform(s.data(), 0, s.size(), -1, 1);
        return Var.param(s);
    }

    static float[] grad(ContrastiveLoss loss, Var s, Pairs pairs) {
        s.clearGrad();
        loss.apply(s, pairs).backward();
        return s.grad().data().clone();
    }

    @Test void positiveGradientBalancesTheNegativesAndPenaltiesSumToOne() {
        int cols = 50;
        Var s = randomSimilarities(1, 1, cols);
        float tau = 0.2f;
        float[] g = grad(new InfoNce(tau), s, Pairs.bank(new int[] {7}));
        double negatives = 0;
        for (int j = 0; j < cols; j++) if (j != 7) { assertTrue(g[j] > 0); negatives += g[j]; }
        assertEquals(-g[7], negatives, 1e-6 * negatives);                  // |∂L/∂s_ii| = Σ_j ∂L/∂s_ij
        HardnessProfile h = HardnessProfile.of(s.data(), 0, cols, 7, -1, tau, 5);
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += h.r()[j];
            if (j != 7) assertEquals(g[j] / -g[7], h.r()[j], 1e-5);          // r_ij = |∂L/∂s_ij| / |∂L/∂s_ii|
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Test void entropyOfPenaltiesRisesStrictlyWithTemperature() {
        Var s = randomSimilarities(2, 1, 200);
        double prev = -1, prevShare = 2;
        for (double tau : new double[] {0.01, 0.05, 0.07, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 2.0}) {
            HardnessProfile h = HardnessProfile.of(s.data(), 0, 200, 0, -1, tau, 10);
            assertTrue(h.entropy() > prev, "H(r) at τ = " + tau + ": " + h.entropy() + " <= " + prev);
            assertTrue(h.topShare() < prevShare, "top-10 share at τ = " + tau);
            prev = h.entropy();
            prevShare = h.topShare();
        }
        assertTrue(prev < Math.log(199) && prev > Math.log(199) - 0.2, "H at τ = 2 is near the uniform log(199): " + prev);
    }

    @Test void smallTemperatureApproachesTheTripletLimit() {
        // row 0: a negative (.7) beats the positive (.2): limit .5; row 1: the positive (.9) wins: limit 0
        Var s = Var.param(Tensor.of(new float[] {0.2f, 0.7f, 0.1f, -0.4f, 0.9f, 0.3f, 0.5f, -1f}, 2, 4));
        Pairs pairs = Pairs.bank(new int[] {0, 0});
        float limit = new TripletLimit().apply(s, pairs).data()[0];
        assertEquals((0.5 + 0) / 2, limit, 1e-6);
        double prevGap = Double.MAX_VALUE;
        for (float tau : new float[] {0.1f, 0.03f, 0.01f, 0.003f}) {
            double gap = Math.abs(tau * new InfoNce(tau).apply(s, pairs).data()[0] - limit);
            assertTrue(gap <= tau * Math.log(4) + 1e-6 && gap <= prevGap, "τ = " + tau + ": |τL − limit| = " + gap);
            prevGap = gap;
        }
        assertTrue(prevGap < 1e-5, "at τ = 0.003: " + prevGap);
    }

    @Test void largeTemperatureGradientTurnsIntoTheSimpleLoss() {
        // gradients w.r.t. raw embeddings in the bank setting: cos(∇InfoNCE, ∇Simple) → 1 as τ grows
        Tensor bank = Tensor.zeros(40, 8);
        Rng.seeded(3).fillNormal(bank.data(), 0, bank.size(), 0, 1);
        Pairs pairs = Pairs.bank(new int[] {1, 5, 9});
        float[] simple = embeddingGrad(new SimpleContrastive(), bank, pairs);
        double prev = -2;
        for (float tau : new float[] {0.1f, 1f, 10f, 100f}) {
            double cos = cosine(embeddingGrad(new InfoNce(tau), bank, pairs), simple);
            assertTrue(cos > prev, "τ = " + tau + ": cos " + cos);
            prev = cos;
        }
        assertTrue(prev > 0.9999, "cos at τ = 100: " + prev);
    }

    static float[] embeddingGrad(ContrastiveLoss loss, Tensor bank, Pairs pairs) {
        Tensor z0 = Tensor.zeros(3, 8);
        Rng.seeded(4).fillNormal(z0.data(), 0, z0.size(), 0, 1);
        Var z = Var.param(z0);
        Var b = Var.constant(L2Normalize.apply(Var.constant(bank)).value());
        loss.apply(dev.tauon.ops.Linear.apply(L2Normalize.apply(z), b, null), pairs).backward();
        return z.grad().data();
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return ab / Math.sqrt(aa * bb);
    }

    @Test void hardWithAllNegativesIsInfoNceBitForBit() {
        // memory bank (no self column) and SimCLR (self masked), sizes that exercise the row chunks
        for (var setting : new Object[][] {{Pairs.bank(new int[] {0, 17, 33, 4095}), 4096}, {Pairs.simclr(40), 80}}) {
            Pairs pairs = (Pairs) setting[0];
            int cols = (Integer) setting[1];
            Var s = randomSimilarities(5, pairs.rows(), cols);
            int all = pairs.negatives(0, cols);
            Var a = new InfoNce(0.07f).apply(s, pairs), b = new HardContrastive(0.07f, all).apply(s, pairs);
            assertEquals(Float.floatToRawIntBits(a.data()[0]), Float.floatToRawIntBits(b.data()[0]));
            assertArrayEquals(grad(new InfoNce(0.07f), s, pairs), grad(new HardContrastive(0.07f, all), s, pairs));
            assertFalse(java.util.Arrays.equals(grad(new InfoNce(0.07f), s, pairs), grad(new HardContrastive(0.07f, all - 1), s, pairs)));
        }
    }

    @Test void finiteAtTauOneHundredthWithSimilaritiesAtPlusMinusOne() {
        // row 0: positive at −1, every negative at +1 (loss ≈ 2/τ + log 3); row 1: positive +1, negatives −1
        float[] v = {-1, 1, 1, 1, -1, 1, -1, -1};
        Pairs pairs = Pairs.bank(new int[] {0, 1});
        for (ContrastiveLoss loss : new ContrastiveLoss[] {new InfoNce(0.01f), new HardContrastive(0.01f, 2), Decoupled.dcl(0.01f), Decoupled.dclw(0.01f)}) {
            Var s = Var.param(Tensor.of(v.clone(), 2, 4));
            Var l = loss.apply(s, pairs);
            l.backward();
            assertTrue(Float.isFinite(l.data()[0]), loss.name() + " = " + l.data()[0]);
            for (float g : s.grad().data()) assertTrue(Float.isFinite(g), loss.name() + " gradient " + g);
        }
        assertEquals((200 + Math.log(3) + Math.log(1 + 3 * Math.exp(-200))) / 2, new InfoNce(0.01f).apply(Var.constant(Tensor.of(v, 2, 4)), pairs).data()[0], 1e-3);
        Var z = Var.param(Tensor.of(v.clone(), 4, 2));
        Var l = SupCon.simclr(L2Normalize.apply(z), L2Normalize.apply(z), new int[] {0, 1, 0, 1}, 0.01f);
        l.backward();
        assertTrue(Float.isFinite(l.data()[0]));
        for (float g : z.grad().data()) assertTrue(Float.isFinite(g));
    }

    @Test void sameBitsForAnyThreadCount() {
        Var s = randomSimilarities(6, 64, 3000);
        Pairs pairs = Pairs.bank(Rng.seeded(7).permutation(3000));
        Pairs first = Pairs.bank(java.util.Arrays.copyOf(pairs.pos(), 64));
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = grad(new HardContrastive(0.1f, 245), s, first);
            Parallel.setThreads(3);
            assertArrayEquals(one, grad(new HardContrastive(0.1f, 245), s, first));
        } finally {
            Parallel.setThreads(before);
        }
    }
}
