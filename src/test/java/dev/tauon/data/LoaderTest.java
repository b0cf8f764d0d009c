package dev.tauon.data;

import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class LoaderTest {
    // Sample i of IdxFiles.numbered is filled with the value i, so a batch shows which samples it holds.
    private final Dataset data = IdxFiles.numbered(103, 1, 2, 3, 10);

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test void everySampleExactlyOncePerEpochWithAShortLastBatch() {
        Loader loader = new Loader(data, 10, false, Rng.seeded(1), null);
        assertEquals(11, loader.batchesPerEpoch());
        float[] x = loader.newImageBuffer();
        int[] y = loader.newLabelBuffer();
        int[] seen = new int[103];
        Loader.Epoch ep = loader.epoch(0);
        for (int b = 0; b < ep.batches(); b++) {
            int count = ep.fill(b, x, y);
            assertEquals(b < 10 ? 10 : 3, count);
            int[] idx = ep.indices(b);
            for (int j = 0; j < count; j++) {
                int i = (int) x[j * 6];
                assertEquals(idx[j], i);
                for (int k = 0; k < 6; k++) assertEquals(i, x[j * 6 + k]);
                assertEquals(i % 10, y[j]);
                seen[i]++;
            }
        }
        for (int i = 0; i < 103; i++) assertEquals(1, seen[i], "sample " + i);
    }

    @Test void orderIsAPureFunctionOfSeedAndEpoch() {
        Loader a = new Loader(data, 16, false, Rng.seeded(7), null), b = new Loader(data, 16, false, Rng.seeded(7), null);
        int[] expected = Rng.seeded(7).split(3).permutation(103);
        assertArrayEquals(Arrays.copyOfRange(expected, 16, 32), a.epoch(3).indices(1));
        float[] xa = a.newImageBuffer(), xb = b.newImageBuffer();
        int[] ya = a.newLabelBuffer(), yb = b.newLabelBuffer();
        for (int batch = 0; batch < a.batchesPerEpoch(); batch++) {
            a.epoch(3).fill(batch, xa, ya);
            b.epoch(3).fill(batch, xb, yb);
            assertArrayEquals(xa, xb);
            assertArrayEquals(ya, yb);
        }
        assertFalse(Arrays.equals(a.epoch(0).indices(0), a.epoch(1).indices(0)), "epochs differ");
        assertFalse(Arrays.equals(a.epoch(0).indices(0), new Loader(data, 16, false, Rng.seeded(8), null).epoch(0).indices(0)), "seeds differ");
    }

    @Test void dropLastSkipsTheShortBatch() {
        Loader loader = new Loader(data, 10, true, Rng.seeded(2), null);
        assertEquals(10, loader.batchesPerEpoch());
        Loader.Epoch ep = loader.epoch(4);
        int[] seen = new int[103];
        for (int b = 0; b < 10; b++) for (int i : ep.indices(b)) seen[i]++;
        assertEquals(100, Arrays.stream(seen).sum());
        assertEquals(1, Arrays.stream(seen).max().orElseThrow());
        assertThrows(IndexOutOfBoundsException.class, () -> ep.fill(10, loader.newImageBuffer(), loader.newLabelBuffer()));
        assertEquals(0, new Loader(data, 200, true, Rng.seeded(2), null).batchesPerEpoch());
        assertEquals(1, new Loader(data, 200, false, Rng.seeded(2), null).batchesPerEpoch());
    }

    @Test void buffersAreReusedAndAShortBatchLeavesTheTailAlone() {
        Loader loader = new Loader(data, 10, false, Rng.seeded(3), null);
        float[] x = loader.newImageBuffer();
        int[] y = loader.newLabelBuffer();
        Loader.Epoch ep = loader.epoch(0);
        ep.fill(9, x, y);
        float[] before = x.clone();
        int[] idx = ep.indices(10);
        assertEquals(3, ep.fill(10, x, y));
        for (int j = 0; j < 3; j++) assertEquals(idx[j], (int) x[j * 6]);
        assertArrayEquals(Arrays.copyOfRange(before, 18, 60), Arrays.copyOfRange(x, 18, 60));
        assertThrows(IllegalArgumentException.class, () -> ep.fill(0, new float[59], y));
        assertThrows(IllegalArgumentException.class, () -> new Loader(data, 0, false, Rng.seeded(3), null));
    }

    @Test void transformSeesSampleAndEpochAndIsTheSameForAnyThreadCount() {
        Rng aug = Rng.seeded(99);
        Loader.Transform noise = (x, off, sample, epoch) -> {
            Rng r = aug.split(epoch).split(sample);
            for (int k = 0; k < 6; k++) x[off + k] += r.uniform(k);
        };
        Dataset big = IdxFiles.numbered(500, 1, 2, 3, 10);
        Loader loader = new Loader(big, 200, false, Rng.seeded(4), noise);
        Parallel.setThreads(1);
        float[] one = loader.newImageBuffer();
        loader.epoch(5).fill(1, one, loader.newLabelBuffer());
        Parallel.setThreads(2);
        float[] two = loader.newImageBuffer();
        loader.epoch(5).fill(1, two, loader.newLabelBuffer());
        assertArrayEquals(one, two);
        int[] idx = loader.epoch(5).indices(1);
        for (int j = 0; j < 200; j++) {
            Rng r = aug.split(5).split(idx[j]);
            for (int k = 0; k < 6; k++) assertEquals(idx[j] + r.uniform(k), one[j * 6 + k]);
        }
    }
}
