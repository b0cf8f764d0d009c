package dev.tauon.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class DatasetTest {
    @Test void subsetAndHeadCopyTheChosenSamples() {
        Dataset d = IdxFiles.numbered(10, 2, 3, 3, 4);
        Dataset s = d.subset(new int[] {7, 2, 7});
        assertEquals(3, s.n());
        assertEquals(18, s.sampleSize());
        assertArrayEquals(new int[] {7 % 4, 2, 7 % 4}, s.labels());
        for (int j = 0; j < 18; j++) {
            assertEquals(7f, s.images()[j]);
            assertEquals(2f, s.images()[18 + j]);
            assertEquals(7f, s.images()[36 + j]);
        }
        s.images()[0] = -1;
        assertEquals(7f, d.images()[7 * 18], "subset copies");
        Dataset h = d.head(4);
        assertEquals(4, h.n());
        assertEquals(3f, h.images()[4 * 18 - 1]);
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {10}));
        assertThrows(IllegalArgumentException.class, () -> d.head(11));
    }

    @Test void shapesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new float[5], new int[1], 1, 1, 2, 2, 10));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new float[4], new int[2], 1, 1, 2, 2, 10));
    }

    @Test void classCountsAndChannelStatsMatchAHandComputedCase() {
        // 2 samples, 2 channels, 1x2 pixels: channel 0 holds {0,1, 2,3}, channel 1 is constant 5.
        float[] x = {0, 1, 5, 5, 2, 3, 5, 5};
        Dataset d = new Dataset("hand", x, new int[] {1, 1}, 2, 2, 1, 2, 3);
        assertArrayEquals(new int[] {0, 2, 0}, d.classCounts());
        Dataset.ChannelStats st = d.channelStats();
        assertEquals(1.5f, st.mean()[0]);
        assertEquals((float) Math.sqrt(1.25), st.std()[0], 1e-7f);
        assertEquals(5f, st.mean()[1]);
        assertEquals(0f, st.std()[1]);
        float[] sample = {0, 1, 5, 5};
        st.normalize(sample, 0, 2);
        assertEquals(-1.5f / (float) Math.sqrt(1.25), sample[0], 1e-6f);
        assertEquals(-0.5f / (float) Math.sqrt(1.25), sample[1], 1e-6f);
        assertEquals(0f, sample[2], "a constant channel is only shifted");
    }

    @Test void balancedHeadTakesClassesRoundRobinEachInIndexOrderSkippingClassesThatRunOut() {
        // class 0: 1,2,5,6,7; class 1: 3,8; class 2: 0,4,9; class 3: none
        int[] y = {2, 0, 0, 1, 2, 0, 0, 0, 1, 2};
        float[] x = new float[10];
        for (int i = 0; i < 10; i++) x[i] = i;
        Dataset d = new Dataset("hand", x, y, 10, 1, 1, 1, 4);
        assertArrayEquals(new int[] {1, 3, 0, 2, 8, 4, 5, 9, 6, 7}, d.balancedOrder(10));
        Dataset h = d.balancedHead(4);
        assertArrayEquals(new float[] {1, 3, 0, 2}, h.images());
        assertArrayEquals(new int[] {0, 1, 2, 0}, h.labels());
        assertEquals("hand", h.name());
        for (int bad : new int[] {0, -1, 11}) {
            String m = assertThrows(IllegalArgumentException.class, () -> d.balancedHead(bad)).getMessage();
            assertTrue(m.contains("--limit") && m.contains("1..10") && m.contains("got " + bad), m);
        }
    }

    @Test void balancedHeadCountsDifferByAtMostOneAmongClassesNotYetExhausted() {
        dev.tauon.tensor.Rng rng = dev.tauon.tensor.Rng.seeded(7);
        for (boolean balanced : new boolean[] {true, false}) {
            int n = 210, classes = 7;
            int[] y = new int[n];
            int[] perm = rng.split(balanced ? 1 : 2).permutation(n);
            for (int i = 0; i < n; i++) y[perm[i]] = balanced ? i % classes : Math.min(classes - 1, (int) (classes * Math.pow(i / (double) n, 2)));
            Dataset d = new Dataset("r", new float[n], y, n, 1, 1, 1, classes);
            int[] total = d.classCounts(), order = d.balancedOrder(n);
            int[] seen = new int[classes], last = new int[classes];
            Arrays.fill(last, -1);
            for (int m = 1; m <= n; m++) {
                int i = order[m - 1], k = y[i];
                assertTrue(i > last[k], "class " + k + " in index order");
                last[k] = i;
                seen[k]++;
                int lo = Integer.MAX_VALUE, hi = 0;
                for (int c = 0; c < classes; c++) {
                    hi = Math.max(hi, seen[c]);
                    if (seen[c] < total[c]) lo = Math.min(lo, seen[c]);
                }
                assertTrue(lo == Integer.MAX_VALUE || hi - lo <= 1, "n = " + m + ": " + Arrays.toString(seen) + " of " + Arrays.toString(total));
                if (balanced) assertTrue(hi - Arrays.stream(seen).min().orElseThrow() <= 1, "balanced: every class within 1 at n = " + m);
            }
            assertArrayEquals(total, seen);
            assertEquals(n, Arrays.stream(order).distinct().count(), "a permutation");
        }
    }
}
