package dev.tauon.tensor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;

import static org.junit.jupiter.api.Assertions.*;

class RngTest {
    @Test void valuesArePureFunctionsOfKeyAndCounter() {
        Rng a = Rng.seeded(42), b = Rng.seeded(42);
        assertEquals(a.bits(123), b.bits(123));
        assertEquals(a.split(7).uniform(9), b.split(7).uniform(9));
        // order of drawing does not matter
        float late = a.uniform(1000);
        for (int i = 0; i < 1000; i++) a.uniform(i);
        assertEquals(late, a.uniform(1000));
        assertNotEquals(a.bits(0), Rng.seeded(43).bits(0));
        assertNotEquals(a.split(1).bits(0), a.split(2).bits(0));
        assertNotEquals(a.split(1).bits(0), a.bits(0));
    }

    @Test void uniformHasTheRightMoments() {
        Rng r = Rng.seeded(1);
        int n = 200_000;
        double s = 0, s2 = 0;
        for (int i = 0; i < n; i++) {
            float u = r.uniform(i);
            assertTrue(u >= 0f && u < 1f);
            s += u; s2 += u * u;
        }
        assertEquals(0.5, s / n, 0.005);
        assertEquals(1.0 / 12, s2 / n - (s / n) * (s / n), 0.002);
    }

    @Test void normalHasTheRightMoments() {
        Rng r = Rng.seeded(2);
        int n = 200_000;
        double s = 0, s2 = 0, s4 = 0;
        for (int i = 0; i < n; i++) {
            double z = r.normal(i);
            s += z; s2 += z * z; s4 += z * z * z * z;
        }
        assertEquals(0, s / n, 0.01);
        assertEquals(1, s2 / n, 0.02);
        assertEquals(3, s4 / n, 0.1);   // kurtosis of a normal
    }

    @Test void nextIntIsInRangeAndUniform() {
        Rng r = Rng.seeded(3);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[r.nextInt(i, 7)]++;
        for (int c : counts) assertEquals(10_000, c, 400);
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0, 0));
    }

    @Test void permutationIsAPermutationAndDependsOnTheKey() {
        int[] p = Rng.seeded(4).permutation(1000);
        assertEquals(1000, new HashSet<>(Arrays.stream(p).boxed().toList()).size());
        assertFalse(Arrays.equals(p, Rng.seeded(5).permutation(1000)));
        assertArrayEquals(p, Rng.seeded(4).permutation(1000));
        assertArrayEquals(new int[0], Rng.seeded(4).permutation(0));
    }
}
