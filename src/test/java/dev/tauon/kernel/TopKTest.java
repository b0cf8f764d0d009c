package dev.tauon.kernel;

import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TopKTest {
    // The oracle: sort (value desc, index asc), take k, list by index.
    static int[] bySorting(float[] x, int k, int skipA, int skipB) {
        List<Integer> c = new ArrayList<>();
        for (int j = 0; j < x.length; j++) if (j != skipA && j != skipB) c.add(j);
        // float comparison (−0 equals +0), larger first, then lower index
        c.sort((a, b) -> x[a] > x[b] ? -1 : x[a] < x[b] ? 1 : Integer.compare(a, b));
        return c.subList(0, Math.min(k, c.size())).stream().sorted().mapToInt(Integer::intValue).toArray();
    }

    @Test void matchesSortingOnAwkwardSizesWithManyTies() {
        for (int n : new int[] {1, 2, 4, 13, 100, 4098}) {
            for (int k : new int[] {0, 1, 3, n / 2, n - 1, n, n + 5}) {
                float[] x = new float[n];
                Rng rng = Rng.seeded(n * 31L + k);
                for (int j = 0; j < n; j++) x[j] = rng.nextInt(j, 7) / 7f;     // 7 distinct values: many ties
                int skipA = n > 3 ? 2 : -1, skipB = n > 5 ? n - 1 : -1;
                int[] idx = new int[Math.max(0, k)];
                int got = TopK.select(idx, 0, x, 0, n, k, skipA, skipB, new float[n]);
                assertArrayEquals(bySorting(x, k, skipA, skipB), java.util.Arrays.copyOf(idx, got), "n=" + n + " k=" + k);
            }
        }
    }

    @Test void radixAndHeapPathsOnSignedValuesAndZeros() {
        int n = 5000;
        float[] x = new float[n];
        Rng rng = Rng.seeded(9);
        for (int j = 0; j < n; j++) x[j] = j % 50 == 0 ? (j % 100 == 0 ? -0f : 0f) : rng.normal(j) * 0.3f;
        for (int k : new int[] {1, 100, 156, 157, 400, 2500, 4990}) {
            int[] idx = new int[k];
            int got = TopK.select(idx, 0, x, 0, n, k, 7, -1, new float[n]);
            assertArrayEquals(bySorting(x, k, 7, -1), java.util.Arrays.copyOf(idx, got), "k=" + k);
        }
    }

    @Test void allEqualRowTakesTheLowestIndices() {
        float[] x = new float[10];
        int[] idx = new int[3];
        assertEquals(3, TopK.select(idx, 0, x, 0, 10, 3, 0, -1, new float[10]));
        assertArrayEquals(new int[] {1, 2, 3}, idx);
    }
}
