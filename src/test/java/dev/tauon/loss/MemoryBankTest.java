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
}
