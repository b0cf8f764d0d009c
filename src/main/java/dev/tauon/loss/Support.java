package dev.tauon.loss;

import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.TopK;

// Which columns of each similarity row a loss sums over: per row, sorted disjoint column ranges
// [lo, hi). "Every column but self" (InfoNCE) and "the positive plus the top-K negatives" (hard
// loss) share this one form, so both reach the same arithmetic in the same order: the hard loss
// with K = all negatives is InfoNCE bit for bit.
record Support(int rows, int cols, int[] rowStart, int[] bounds, int[] offset, float[] values) {
    // rowStart: (rows+1) indices into bounds (pairs lo, hi; a range may be empty); offset: (rows+1)
    // prefix sums of sizes; values: s on the support in order, kept by a selection that already
    // read them (null: gather reads s).

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
        return new Support(rows, cols, start, java.util.Arrays.copyOf(bounds, b), offset, null);
    }

    // Per row i: the k largest columns other than skipA[i], skipB[i] (ties to the lower index),
    // plus column include[i] when include is given. Selection reads s and is not differentiated.
    // A row holding NaN (a diverged run) keeps every column, so the NaN reaches the loss value
    // instead of being silently dropped by the selection.
    static Support topK(float[] s, int rows, int cols, int k, int[] skipA, int[] skipB, int[] include) {
        // Rows are independent: each writes its ranges into its own slot of the bounds (at most
        // one range per kept column, at most cols + 2 bounds; 6 for a NaN row) and pads the rest
        // with empty ranges, so no packing pass is needed. Row i's size goes to size[i].
        int kept = Math.min(Math.max(k, 0), cols) + 1, slot = Math.min(2 * kept, cols + 2 - cols % 2) + 6;
        int[] bounds = new int[rows * slot], size = new int[rows];
        // The kept values are copied while the row is still in cache (the loss would otherwise read
        // the whole row from memory again): at offsets that assume no NaN row, dropped if one is.
        int[] at = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            int a = skipA == null ? -1 : skipA[i], b = skipB == null ? -1 : skipB[i];
            int avail = cols - (a >= 0 && a < cols ? 1 : 0) - (b >= 0 && b < cols && b != a ? 1 : 0);
            at[i + 1] = at[i] + Math.max(0, Math.min(k, avail)) + (include != null && include[i] >= 0 ? 1 : 0);
        }
        float[] values = Workspace.floats(at[rows]);
        // 16 rows per chunk: each chunk allocates its own row-sized scratch (rows are independent:
        // no effect on results)
        Parallel.forRange(rows, 16, (lo, hi) -> {
            TopK.Work work = new TopK.Work(cols);
            int[] chosen = new int[Math.min(Math.max(k, 0), cols)];
            for (int i = lo; i < hi; i++) {
                int a = skipA == null ? -1 : skipA[i], b = skipB == null ? -1 : skipB[i];
                int extra = include == null ? -1 : include[i];
                int o = i * slot, n = 0, got = 0;
                if (Float.isNaN(Kernels.sum(s, i * cols, cols))) {
                    for (int j = 0; j < cols; j++) {
                        if ((j != a && j != b) || j == extra) { n = add(bounds, o, n, j); got++; }
                    }
                } else {
                    int c = TopK.select(chosen, 0, s, i * cols, cols, k, a, b, work), v = at[i], row = i * cols;
                    for (int t = 0; t < c; t++) {
                        if (extra >= 0 && extra <= chosen[t]) { n = add(bounds, o, n, extra); values[v++] = s[row + extra]; extra = -1; }
                        n = add(bounds, o, n, chosen[t]);
                        values[v++] = s[row + chosen[t]];
                    }
                    if (extra >= 0) { n = add(bounds, o, n, extra); values[v++] = s[row + extra]; }
                    got = v - at[i];
                }
                int end = n > 0 ? bounds[o + n - 1] : 0;
                java.util.Arrays.fill(bounds, o + n, o + slot, end);
                size[i] = got;
            }
        });
        int[] start = new int[rows + 1], offset = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            start[i + 1] = start[i] + slot;
            offset[i + 1] = offset[i] + size[i];
        }
        return new Support(rows, cols, start, bounds, offset, java.util.Arrays.equals(offset, at) ? values : null);
    }

    // Appends column j (increasing, in [0, cols)) to the ranges bounds[o .. o+n); returns the new n.
    private static int add(int[] bounds, int o, int n, int j) {
        int end = n > 0 ? bounds[o + n - 1] : -1;
        if (j < end) throw new IllegalArgumentException("support: column " + j + " is listed twice or out of order");
        if (j == end) { bounds[o + n - 1] = j + 1; return n; }
        bounds[o + n] = j;
        bounds[o + n + 1] = j + 1;
        return n + 2;
    }

    // out[outOff ..) = s[row, j] for j in the support, in column order. (A hard-loss row is
    // mostly ranges of one or two columns: a plain loop, not a call of arraycopy per range.)
    void gather(int row, float[] s, float[] out, int outOff) {
        if (values != null) {
            System.arraycopy(values, offset[row], out, outOff, size(row));
            return;
        }
        int base = row * cols;
        for (int b = rowStart[row]; b < rowStart[row + 1]; b += 2) {
            int lo = base + bounds[b], hi = base + bounds[b + 1];
            if (hi - lo > 16) {
                System.arraycopy(s, lo, out, outOff, hi - lo);
                outOff += hi - lo;
            } else {
                for (int j = lo; j < hi; j++) out[outOff++] = s[j];
            }
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
