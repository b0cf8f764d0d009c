package dev.tauon.kernel;

// Deterministic top-K of one row: the K largest values, ties broken by the lower index, listed
// in increasing index order. Quickselect on a copy finds the K-th value, then one ordered scan
// collects the winners, so the chosen set is a function of the row alone (never of the pivots).
public final class TopK {
    private TopK() {}

    // x[off .. off+n) without columns skipA, skipB (−1: none) -> idx[idxOff ..): the chosen columns
    // in increasing order; returns how many (min(k, candidates)). scratch holds >= n floats.
    public static int select(int[] idx, int idxOff, float[] x, int off, int n, int k, int skipA, int skipB, float[] scratch) {
        int m = 0;
        for (int j = 0; j < n; j++) if (j != skipA && j != skipB) scratch[m++] = x[off + j];
        if (k <= 0 || m == 0) return 0;
        int out = idxOff;
        if (k >= m) {
            for (int j = 0; j < n; j++) if (j != skipA && j != skipB) idx[out++] = j;
            return m;
        }
        float t = kthSmallest(scratch, m, m - k);        // the K-th largest value
        int above = 0;
        for (int j = 0; j < m; j++) if (scratch[j] > t) above++;
        int ties = k - above;                           // values equal to t taken by lowest index
        for (int j = 0; j < n; j++) {
            if (j == skipA || j == skipB) continue;
            float v = x[off + j];
            if (v > t || (v == t && ties-- > 0)) idx[out++] = j;
        }
        return k;
    }

    // The element that would sit at position `kth` (0-based) if a[0..n) were sorted ascending.
    // Reorders a. Hoare partition around a median-of-three pivot.
    static float kthSmallest(float[] a, int n, int kth) {
        int lo = 0, hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            float x = a[lo], y = a[mid], z = a[hi];
            float p = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < p) i++;
                while (a[j] > p) j--;
                if (i <= j) {
                    float s = a[i]; a[i] = a[j]; a[j] = s;
                    i++;
                    j--;
                }
            }
            if (kth <= j) hi = j;
            else if (kth >= i) lo = i;
            else return a[kth];
        }
        return a[lo];
    }
}
