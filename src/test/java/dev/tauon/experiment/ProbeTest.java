package dev.tauon.experiment;

import dev.tauon.metrics.LinearProbe;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// The paper's SGD linear probe: separable clusters are learnt, random labels stay at chance, and
// the same seed gives the same result.
class ProbeTest {
    static final int D = 16, C = 10;

    static float[][] clusters(long seed, int n, int[] y) {
        Rng rng = Rng.seeded(seed);
        float[] centres = new float[C * D];
        Rng.seeded(100).fillNormal(centres, 0, centres.length, 0, 1);
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(i, C);
            for (int j = 0; j < D; j++) x[i * D + j] = centres[y[i] * D + j] + 0.15f * rng.split(1).normal(i * D + j);
        }
        return new float[][] {x};
    }

    @Test void sgdProbeSeparatesClustersAndIsChanceOnRandomLabels() {
        int[] ytr = new int[1000], yte = new int[400];
        float[] xtr = clusters(8, 1000, ytr)[0], xte = clusters(9, 400, yte)[0];
        Probe.Config cfg = Probe.Config.paper(5);
        LinearProbe.Result r = Probe.sgd(xtr, ytr, xte, yte, D, C, cfg);
        assertTrue(r.testAccuracy() > 0.99, "sgd " + r);
        int[] noise = new int[1000], testNoise = new int[400];
        for (int i = 0; i < 1000; i++) noise[i] = Rng.seeded(10).nextInt(i, C);
        for (int i = 0; i < 400; i++) testNoise[i] = Rng.seeded(11).nextInt(i, C);
        assertEquals(0.1, Probe.sgd(xtr, noise, xte, testNoise, D, C, cfg).testAccuracy(), 0.06);
        LinearProbe.Result again = Probe.sgd(xtr, ytr, xte, yte, D, C, cfg);
        assertArrayEquals(new double[] {r.trainAccuracy(), r.testAccuracy()}, new double[] {again.trainAccuracy(), again.testAccuracy()});
    }
}
