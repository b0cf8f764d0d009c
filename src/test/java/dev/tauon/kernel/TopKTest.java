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
                int got = TopK.select(idx, 0, x, 0, n, k, skipA, skipB, new TopK.Work(n));
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
            int got = TopK.select(idx, 0, x, 0, n, k, 7, -1, new TopK.Work(n));
            assertArrayEquals(bySorting(x, k, 7, -1), java.util.Arrays.copyOf(idx, got), "k=" + k);
        }
    }

    // Rows long enough for the sampled bound (60,000 as in the bank), including rows where the
    // sample misleads: large values only at sampled positions, so the bound is too high at first.
    @Test void sampledBoundPathOnBankSizedRows() {
        int n = 60000;
        Rng rng = Rng.seeded(11);
        float[][] rows = new float[4][n];
        for (int j = 0; j < n; j++) {
            rows[0][j] = rng.normal(j) * 0.1f;
            rows[1][j] = rng.nextInt(j, 50) / 50f;                                // many ties at the threshold
            rows[2][j] = j % TopK.STRIDE == TopK.STRIDE / 2 ? 1f + j * 1e-6f : -(j % 97); // the sample sees only the largest
            rows[3][j] = j % 3 == 0 ? -0f : 0f;                                    // all equal as floats
        }
        rows[0][17] = Float.POSITIVE_INFINITY;
        rows[0][18] = Float.NEGATIVE_INFINITY;
        for (float[] x : rows) {
            for (int k : new int[] {1875, 4914, 30000, 59990}) {
                int[] idx = new int[k];
                int got = TopK.select(idx, 0, x, 0, n, k, 9, 17, new TopK.Work(n));
                assertArrayEquals(bySorting(x, k, 9, 17), java.util.Arrays.copyOf(idx, got), "k=" + k);
            }
        }
    }

    @Test void kthLargestIsTheValueAtThatRank() {
        float[] x = {3f, -1f, 3f, 0f, -0f, 7f, Float.NEGATIVE_INFINITY};
        assertEquals(7f, TopK.kthLargest(x, x.length, 1, Float.NaN, Float.NaN));
        assertEquals(3f, TopK.kthLargest(x, x.length, 3, Float.NaN, Float.NaN));
        assertEquals(0f, TopK.kthLargest(x, x.length, 5, Float.NaN, Float.NaN), 0f);
        assertEquals(-1f, TopK.kthLargest(x, x.length, 5, 3f, Float.NaN));          // one 3 left out
        assertEquals(Float.NEGATIVE_INFINITY, TopK.kthLargest(x, x.length, 7, Float.NaN, Float.NaN));
    }

    @Test void allEqualRowTakesTheLowestIndices() {
        float[] x = new float[10];
        int[] idx = new int[3];
        assertEquals(3, TopK.select(idx, 0, x, 0, 10, 3, 0, -1, new TopK.Work(10)));
        assertArrayEquals(new int[] {1, 2, 3}, idx);
    }
}
