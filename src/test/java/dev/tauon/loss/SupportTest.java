package dev.tauon.loss;

import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

// Support.topK against a sort-based reference: per row the k largest columns other than the two
// skipped ones (ties to the lower column) plus the included one; a NaN row keeps every column.
class SupportTest {
    static List<Integer> columns(Support d, int row) {
        List<Integer> c = new ArrayList<>();
        for (int b = d.rowStart()[row]; b < d.rowStart()[row + 1]; b += 2) for (int j = d.bounds()[b]; j < d.bounds()[b + 1]; j++) c.add(j);
        return c;
    }

    static List<Integer> reference(float[] s, int row, int cols, int k, int a, int b, int include) {
        List<Integer> c = new ArrayList<>();
        for (int j = 0; j < cols; j++) if (j != a && j != b) c.add(j);
        boolean nan = false;
        for (int j = 0; j < cols; j++) nan |= Float.isNaN(s[row * cols + j]);
        if (!nan) {
            c.sort((x, y) -> s[row * cols + x] > s[row * cols + y] ? -1 : s[row * cols + x] < s[row * cols + y] ? 1 : Integer.compare(x, y));
            c = c.subList(0, Math.min(k, c.size()));
        }
        TreeSet<Integer> set = new TreeSet<>(c);
        if (include >= 0) set.add(include);
        return new ArrayList<>(set);
    }

    @Test void topKMatchesSortingWithSkipsIncludesAndANaNRow() {
        for (int cols : new int[] {7, 300, 5000}) {
            int rows = 20;
            float[] s = new float[rows * cols];
            Rng rng = Rng.seeded(cols);
            for (int i = 0; i < s.length; i++) s[i] = rng.nextInt(i, 40) / 40f;           // ties
            s[3 * cols + 1] = Float.NaN;
            int[] a = new int[rows], b = new int[rows];
            for (int i = 0; i < rows; i++) { a[i] = (i * 7) % cols; b[i] = i % 3 == 0 ? -1 : (i * 11 + 1) % cols; }
            for (int k : new int[] {1, 3, cols / 10 + 1, cols - 2, cols + 4}) {
                Support d = Support.topK(s, rows, cols, k, a, b, a);
                for (int i = 0; i < rows; i++) {
                    List<Integer> want = reference(s, i, cols, k, a[i], b[i], a[i]);
                    assertEquals(want, columns(d, i), "cols=" + cols + " k=" + k + " row " + i);
                    assertEquals(want.size(), d.size(i));
                }
            }
        }
    }
}
