package dev.tauon.metrics;

import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// kNN and both linear probes: ~100% on separable clusters, chance on random labels.
class ClassifierTest {
    static final int D = 16, C = 10;

    // n points around C well-separated random centres (noise 0.15); labels = centre index
    record Clusters(float[] x, int[] y) {}

    static Clusters clusters(long seed, int n) {
        Rng rng = Rng.seeded(seed);
        float[] centres = new float[C * D];
        Rng.seeded(100).fillNormal(centres, 0, centres.length, 0, 1);
        float[] x = new float[n * D];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(i, C);
            for (int j = 0; j < D; j++) x[i * D + j] = centres[y[i] * D + j] + 0.15f * rng.split(1).normal(i * D + j);
        }
        return new Clusters(x, y);
    }

    static int[] randomLabels(long seed, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = Rng.seeded(seed).nextInt(i, C);
        return y;
    }

    @Test void knnSeparatesClustersAndIsChanceOnRandomLabels() {
        Clusters bank = clusters(1, 2000), query = clusters(2, 500);
        for (KnnClassifier.Config c : new KnnClassifier.Config[] {KnnClassifier.Config.paper(), KnnClassifier.Config.majority(1), KnnClassifier.Config.majority(5)}) {
            int[] pred = KnnClassifier.predict(query.x(), 500, bank.x(), 2000, bank.y(), C, D, c);
            assertTrue(KnnClassifier.accuracy(pred, query.y()) > 0.99, c + ": " + KnnClassifier.accuracy(pred, query.y()));
        }
        int[] noise = randomLabels(3, 2000);
        double acc = KnnClassifier.accuracy(KnnClassifier.predict(query.x(), 500, bank.x(), 2000, noise, C, D, KnnClassifier.Config.paper()), randomLabels(4, 500));
        assertEquals(0.1, acc, 0.05);
    }

    @Test void knnIsTheSameForAnyThreadCount() {
        Clusters bank = clusters(5, 700), query = clusters(6, 300);
        int[] noise = randomLabels(7, 700);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            int[] one = KnnClassifier.predict(query.x(), 300, bank.x(), 700, noise, C, D, KnnClassifier.Config.paper());
            Parallel.setThreads(3);
            assertArrayEquals(one, KnnClassifier.predict(query.x(), 300, bank.x(), 700, noise, C, D, KnnClassifier.Config.paper()));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test void ridgeSeparatesClustersAndIsChanceOnRandomLabels() {
        Clusters train = clusters(8, 1000), test = clusters(9, 400);
        LinearProbe.Result ridge = LinearProbe.ridge(train.x(), train.y(), test.x(), test.y(), D, C, 1e-3);
        assertTrue(ridge.testAccuracy() > 0.99 && ridge.trainAccuracy() > 0.99, "ridge " + ridge);
        int[] noise = randomLabels(10, 1000), testNoise = randomLabels(11, 400);
        assertEquals(0.1, LinearProbe.ridge(train.x(), noise, test.x(), testNoise, D, C, 1e-3).testAccuracy(), 0.06);
    }

    @Test void ridgeRecoversAnExactLinearMap() {
        // one-hot targets that a linear map reproduces exactly: x = e_y, so W = I (bias 0) at λ → 0
        int n = 40;
        float[] x = new float[n * C];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) { y[i] = i % C; x[i * C + y[i]] = 1f; }
        LinearProbe.Result r = LinearProbe.ridge(x, y, x, y, C, C, 1e-6);
        assertEquals(1.0, r.testAccuracy());
    }
}
