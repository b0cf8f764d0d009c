package dev.tauon.data;

import org.junit.jupiter.api.Test;

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
}
