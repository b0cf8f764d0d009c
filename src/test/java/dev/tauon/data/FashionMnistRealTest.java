package dev.tauon.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

// Loads the real Fashion-MNIST when the Debian package is installed; skipped otherwise.
class FashionMnistRealTest {
    @Test void realFashionMnistHasTheKnownShapeAndBalancedClasses() {
        assumeTrue(Files.isDirectory(Datasets.FASHION_MNIST_DIR), "no " + Datasets.FASHION_MNIST_DIR);
        long t0 = System.nanoTime();
        Datasets.Split s = Datasets.fashionMnist(null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("FashionMnistRealTest: loaded train + test from " + Datasets.FASHION_MNIST_DIR + " in " + ms + " ms");
        Dataset train = s.train(), test = s.test();
        assertEquals(60_000, train.n());
        assertEquals(10_000, test.n());
        assertEquals(1, train.c());
        assertEquals(28, train.h());
        assertEquals(28, train.w());
        int[] balanced = new int[10];
        java.util.Arrays.fill(balanced, 6_000);
        assertArrayEquals(balanced, train.classCounts());
        java.util.Arrays.fill(balanced, 1_000);
        assertArrayEquals(balanced, test.classCounts());
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : train.images()) { min = Math.min(min, v); max = Math.max(max, v); }
        assertEquals(0f, min);
        assertEquals(1f, max);
        Dataset.ChannelStats st = train.channelStats();
        assertEquals(0.286, st.mean()[0], 0.001);   // the published Fashion-MNIST constants
        assertEquals(0.353, st.std()[0], 0.001);
    }
}
