package dev.tauon.metrics;

import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// Metrics on embeddings whose answer is known: even and collapsed configurations, clustered labels.
class MetricsTest {
    static float[] gaussianUnit(long seed, int n, int d) {
        float[] x = new float[n * d];
        Rng.seeded(seed).fillNormal(x, 0, x.length, 0, 1);
        return Blocks.normalized(x, n, d);
    }

    // The metrics see the embeddings exactly as the training op normalises them: the same bits
    @Test void metricsNormaliseRowsAsTheTrainingOpDoes() {
        int n = 300, d = 64;                    // more rows than one parallel chunk of Blocks
        float[] x = new float[n * d];
        Rng.seeded(77).fillNormal(x, 0, x.length, 0, 3);
        float[] op = dev.tauon.ops.L2Normalize.apply(dev.tauon.autograd.Var.constant(dev.tauon.tensor.Tensor.of(x.clone(), n, d))).data();
        float[] metric = Blocks.normalized(x, n, d);
        for (int i = 0; i < x.length; i++) assertEquals(Float.floatToRawIntBits(op[i]), Float.floatToRawIntBits(metric[i]), "element " + i);
    }

    @Test void uniformityOfKnownConfigurations() {
        // regular tetrahedron in 3-d: every pair at ‖a−b‖² = 2 − 2(−1/3) = 8/3, so −L = 2·8/3
        double a = 1 / Math.sqrt(3);
        float[] tet = {(float) a, (float) a, (float) a, (float) a, (float) -a, (float) -a, (float) -a, (float) a, (float) -a, (float) -a, (float) -a, (float) a};
        assertEquals(16.0 / 3, Uniformity.of(tet, 4, 3), 1e-5);
        // n evenly spaced points on the circle: −L = −log[(1/(n−1)) Σ_{k=1}^{n−1} exp(−4 + 4cos(2πk/n))];
        // the sum over all k is ≈ n·e^{−4}I0(4) = n·0.2070019 (the uniform circle), less the k = 0 term 1
        int n = 360;
        float[] circle = new float[2 * n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            circle[2 * i] = (float) Math.cos(2 * Math.PI * i / n);
            circle[2 * i + 1] = (float) Math.sin(2 * Math.PI * i / n);
            if (i > 0) sum += Math.exp(-4 + 4 * Math.cos(2 * Math.PI * i / n));
        }
        double exact = -Math.log(sum / (n - 1));
        assertEquals(exact, Uniformity.of(circle, n, 2), 1e-5);
        assertEquals(-Math.log((n * 0.2070019 - 1) / (n - 1)), exact, 1e-5);
        // random Gaussian directions in 128-d: −L ≈ 4 − 16/256 = 3.9375 (s ~ N(0, 1/128))
        assertEquals(3.9375, Uniformity.of(gaussianUnit(1, 1500, 128), 1500, 128), 0.03);
        // collapsed: every distance 0
        float[] same = new float[50 * 16];
        for (int i = 0; i < 50; i++) same[i * 16 + 3] = 1f;
        assertEquals(0.0, Uniformity.of(same, 50, 16), 1e-5);
    }

    @Test void uniformityIsTheSameForAnyThreadCount() {
        float[] x = gaussianUnit(2, 600, 32);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            double one = Uniformity.of(x, 600, 32);
            Parallel.setThreads(3);
            assertEquals(Double.doubleToRawLongBits(one), Double.doubleToRawLongBits(Uniformity.of(x, 600, 32)));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test void alignmentByHand() {
        // pairs ((1,0),(0,1)): 2; ((0,1),(0,1)): 0 -> mean 1
        assertEquals(1.0, Alignment.of(new float[] {1, 0, 0, 1}, new float[] {0, 1, 0, 1}, 2, 2), 0);
    }

    @Test void toleranceOfPerfectClustersIsOneAndByHand() {
        // three classes, every member of class c is the unit vector e_c
        int n = 30, d = 4;
        float[] x = new float[n * d];
        int[] y = new int[n], self = new int[n];
        for (int i = 0; i < n; i++) { y[i] = i % 3; x[i * d + y[i]] = 1f; self[i] = i; }
        assertEquals(1.0, Tolerance.of(x, n, y, self, x, n, y, d), 1e-7);
        // anchor (1,0) of class 0 against bank [(1,0) itself, (.6,.8) class 0, (0,1) class 0, (−1,0) class 1]:
        // excluding itself, mean(.6, 0) = .3
        float[] bank = {1, 0, 0.6f, 0.8f, 0, 1, -1, 0};
        assertEquals(0.3, Tolerance.of(new float[] {1, 0}, 1, new int[] {0}, new int[] {0}, bank, 4, new int[] {0, 0, 0, 1}, 2), 1e-7);
    }

    @Test void similarityRanksByHand() {
        // anchor (1,0), bank cosines [1 (pos), .6, 0, −1, .8] -> pos 1, negatives .8, .6, 0
        float[] bank = {1, 0, 0.6f, 0.8f, 0, 1, -1, 0, 0.8f, 0.6f};
        SimilarityRanks r = SimilarityRanks.of(new float[] {1, 0, 0, 1}, 2, bank, 5, 2, new int[] {0, 2}, null, 3);
        assertArrayEquals(new float[] {1, 1}, r.pos());
        assertArrayEquals(new float[] {0.8f, 0.6f, 0f}, r.negatives()[0]);
        assertArrayEquals(new float[] {0.8f, 0.6f, 0f}, r.negatives()[1]);  // anchor (0,1): .8 (col 1), .6 (col 4), 0 (col 0)
        SimilarityRanks.Box[] boxes = r.boxes();
        assertEquals("n1", boxes[1].name());
        assertEquals(0.8, boxes[1].median(), 1e-7);
    }

    @Test void hardnessProfileByHand() {
        // negatives .5 and 0 at τ = .5: r = e^1 / (e^1 + e^0) = .73106, .26894; H = .58220
        HardnessProfile h = HardnessProfile.of(new float[] {0.9f, 0.5f, 0f}, 0, 3, 0, -1, 0.5, 1);
        assertEquals(0.7310586, h.r()[1], 1e-6);
        assertEquals(0.0, h.r()[0]);
        assertEquals(0.5822031, h.entropy(), 1e-6);
        assertEquals(0.7310586, h.topShare(), 1e-6);
    }
}
