package dev.tauon.loss;

import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.TopK;

// Which columns of each similarity row a loss sums over: per row, sorted disjoint column ranges
// [lo, hi). "Every column but self" (InfoNCE) and "the positive plus the top-K negatives" (hard
// loss) share this one form, so both reach the same arithmetic in the same order: the hard loss
// with K = all negatives is InfoNCE bit for bit.
record Support(int rows, int cols, int[] rowStart, int[] bounds, int[] offset) {
    // rowStart: (rows+1) indices into bounds (pairs lo, hi); offset: (rows+1) prefix sums of sizes.

    int size(int row) { return offset[row + 1] - offset[row]; }

    int total() { return offset[rows]; }

    // Every column except up to two excluded ones per row (−1 or null: none).
    static Support allBut(int rows, int cols, int[] exA, int[] exB) {
        int[] start = new int[rows + 1], bounds = new int[rows * 6], offset = new int[rows + 1];
        int b = 0;
        for (int i = 0; i < rows; i++) {
            int a = exA == null ? -1 : exA[i], c = exB == null ? -1 : exB[i];
            int lo = Math.min(a, c), hi = Math.max(a, c);
            start[i] = b;
            int from = 0;
            for (int ex : new int[] {lo, hi}) {
                if (ex < 0 || ex < from) continue;
                if (ex > from) { bounds[b++] = from; bounds[b++] = ex; }
                from = ex + 1;
            }
            if (from < cols) { bounds[b++] = from; bounds[b++] = cols; }
            offset[i + 1] = offset[i] + sizeOf(bounds, start[i], b);
        }
        start[rows] = b;
        return new Support(rows, cols, start, java.util.Arrays.copyOf(bounds, b), offset);
    }

    // Per row i, the strictly increasing columns idx[from[i] .. from[i+1]); runs are merged into ranges.
    static Support ofSorted(int rows, int cols, int[] idx, int[] from) {
        int[] start = new int[rows + 1], offset = new int[rows + 1];
        int[] bounds = new int[2 * from[rows]];
        int b = 0;
        for (int i = 0; i < rows; i++) {
            start[i] = b;
            for (int t = from[i]; t < from[i + 1]; t++) {
                int j = idx[t];
                if (j < 0 || j >= cols || (t > from[i] && j <= idx[t - 1])) {
                    throw new IllegalArgumentException("support: columns of row " + i + " must increase within [0, " + cols + ")");
                }
                if (b > start[i] && bounds[b - 1] == j) bounds[b - 1] = j + 1;
                else { bounds[b++] = j; bounds[b++] = j + 1; }
            }
            offset[i + 1] = offset[i] + sizeOf(bounds, start[i], b);
        }
        start[rows] = b;
        return new Support(rows, cols, start, java.util.Arrays.copyOf(bounds, b), offset);
    }

    // Per row i: the k largest columns other than skipA[i], skipB[i] (ties to the lower index),
    // plus column include[i] when include is given. Selection reads s and is not differentiated.
    // A row holding NaN (a diverged run) keeps every column, so the NaN reaches the loss value
    // instead of being silently dropped by the selection.
    static Support topK(float[] s, int rows, int cols, int k, int[] skipA, int[] skipB, int[] include) {
        boolean[] nan = new boolean[rows];
        Parallel.forRange(rows, 4, (lo, hi) -> {
            for (int i = lo; i < hi; i++) nan[i] = Float.isNaN(Kernels.sum(s, i * cols, cols));
        });
        int[] from = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            int a = skipA == null ? -1 : skipA[i], b = skipB == null ? -1 : skipB[i];
            int avail = cols - (a >= 0 ? 1 : 0) - (b >= 0 && b != a ? 1 : 0);
            int kept = nan[i] ? avail : Math.min(Math.max(k, 0), avail);
            from[i + 1] = from[i] + kept + (include == null ? 0 : 1);
        }
        int[] idx = new int[from[rows]];
        // 16 rows per chunk: each chunk allocates its own row-sized scratch, so fewer, larger
        // chunks mean less garbage per step (rows are independent: no effect on results)
        Parallel.forRange(rows, 16, (lo, hi) -> {
            TopK.Work scratch = new TopK.Work(cols);
            int[] chosen = new int[cols];
            for (int i = lo; i < hi; i++) {
                int a = skipA == null ? -1 : skipA[i], b = skipB == null ? -1 : skipB[i];
                int got = 0;
                if (nan[i]) {
                    for (int j = 0; j < cols; j++) if (j != a && j != b) chosen[got++] = j;
                } else {
                    got = TopK.select(chosen, 0, s, i * cols, cols, k, a, b, scratch);
                }
                int out = from[i], extra = include == null ? -1 : include[i];
                for (int t = 0; t < got; t++) {
                    if (extra >= 0 && extra < chosen[t]) { idx[out++] = extra; extra = -1; }
                    idx[out++] = chosen[t];
                }
                if (extra >= 0) idx[out] = extra;
            }
        });
        return ofSorted(rows, cols, idx, from);
    }

    // out[outOff ..) = s[row, j] for j in the support, in column order.
    void gather(int row, float[] s, float[] out, int outOff) {
        int base = row * cols;
        for (int b = rowStart[row]; b < rowStart[row + 1]; b += 2) {
            int n = bounds[b + 1] - bounds[b];
            System.arraycopy(s, base + bounds[b], out, outOff, n);
            outOff += n;
        }
    }

    boolean contains(int row, int col) {
        for (int b = rowStart[row]; b < rowStart[row + 1]; b += 2) if (col >= bounds[b] && col < bounds[b + 1]) return true;
        return false;
    }

    private static int sizeOf(int[] bounds, int from, int to) {
        int n = 0;
        for (int b = from; b < to; b += 2) n += bounds[b + 1] - bounds[b];
        return n;
    }
}
