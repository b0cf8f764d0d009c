package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MemoryBankTest {
    @Test void initialisedUniformInTheCodesRangeNotNormalised() {
        MemoryBank bank = new MemoryBank(500, 12, 0.5f, Rng.seeded(1));
        float r = (float) (1 / Math.sqrt(12 / 3.0));                    // 1/√(d/3) = 0.5
        float lo = 1, hi = -1;
        for (float v : bank.data()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        assertTrue(lo >= -r && hi <= r && lo < -0.49f && hi > 0.49f, lo + " " + hi);
        assertArrayEquals(bank.data(), new MemoryBank(500, 12, 0.5f, Rng.seeded(1)).data());
    }

    @Test void updateIsTheNormalisedMomentumAverage() {
        MemoryBank bank = new MemoryBank(3, 2, 0.5f, Rng.seeded(2));
        float[] before = bank.data().clone();
        // m_1 ← normalize(.5·m_1 + .5·(3, 4))
        bank.update(new int[] {1}, new float[] {3, 4});
        double x = 0.5 * before[2] + 1.5, y = 0.5 * before[3] + 2, n = Math.hypot(x, y);
        assertArrayEquals(new float[] {before[0], before[1], (float) (x / n), (float) (y / n), before[4], before[5]}, bank.data(), 1e-6f);
    }

    @Test void noGradientFlowsIntoTheBank() {
        MemoryBank bank = new MemoryBank(10, 4, 0.5f, Rng.seeded(3));
        float[] before = bank.data().clone();
        Var z = Var.param(Tensor.of(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, 2, 4));
        Var s = bank.similarity(z);
        assertArrayEquals(new int[] {2, 10}, s.shape().dims());
        new InfoNce(0.1f).apply(s, Pairs.bank(new int[] {3, 8})).backward();
        assertNotNull(z.grad());
        assertArrayEquals(before, bank.data());
        assertThrows(IllegalArgumentException.class, () -> bank.similarity(Var.param(Tensor.zeros(2, 5))));
    }

    @Test void similarityAndItsBackwardThroughTheRealBank() {
        // s = z·bankᵀ checked against a hand product, then the bank's own backward GEMM by central differences
        MemoryBank bank = new MemoryBank(37, 6, 0.5f, Rng.seeded(4));
        Var z = dev.tauon.ops.GradCheck.param(5, -1, 1, 3, 6);
        float[] s = bank.similarity(z).data();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 37; j++) {
            double want = 0;
            for (int t = 0; t < 6; t++) want += (double) z.data()[i * 6 + t] * bank.data()[j * 6 + t];
            assertEquals(want, s[i * 37 + j], 1e-5);
        }
        Pairs pairs = Pairs.bank(new int[] {4, 0, 36});
        dev.tauon.ops.GradCheck.check("bank similarity", v -> bank.similarity(v.get(0)), z);
        dev.tauon.ops.GradCheck.check("bank infonce", v -> new InfoNce(0.2f).apply(bank.similarity(dev.tauon.ops.L2Normalize.apply(v.get(0))), pairs), z);
        dev.tauon.ops.GradCheck.check("bank hard", v -> new HardContrastive(0.2f, 5).apply(bank.similarity(dev.tauon.ops.L2Normalize.apply(v.get(0))), pairs), z);
    }

    @Test void aNaNSimilarityReachesTheHardLossInsteadOfBeingDropped() {
        for (int k : new int[] {10, 400}) {                      // the heap and the histogram selection paths
            float[] s = new float[2 * 5000];
            Rng.seeded(6).fillUniform(s, 0, s.length, -1, 1);
            s[1234] = Float.NaN;
            Var loss = new HardContrastive(0.1f, k).apply(Var.constant(Tensor.of(s, 2, 5000)), Pairs.bank(new int[] {0, 1}));
            assertTrue(Float.isNaN(loss.data()[0]), "k=" + k + ": loss " + loss.data()[0]);
        }
    }

    @Test void hardLossBackwardThroughTheBankGivesTheDenseGemmBits() {
        // the hard loss leaves dS mostly zero, so the bank's backward takes the sparse product;
        // it must give exactly dZ = dS·bank as the dense GEMM computes it
        MemoryBank bank = new MemoryBank(3000, 16, 0.5f, Rng.seeded(7));
        Var z = dev.tauon.ops.GradCheck.param(8, -1, 1, 5, 16);
        Var s = bank.similarity(z);
        Var loss = new HardContrastive(0.1f, 200).apply(s, Pairs.bank(new int[] {1, 2, 3, 2999, 0}));
        loss.backward();
        float[] want = new float[5 * 16];
        dev.tauon.kernel.Kernels.gemm(want, 0, 16, s.grad().data(), 0, 3000, false, bank.data(), 0, 16, false, 5, 16, 3000, 1f, 1f);
        for (int i = 0; i < want.length; i++) assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(z.grad().data()[i]), "dZ[" + i + "]");
    }
}
