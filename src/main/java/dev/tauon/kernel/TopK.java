package dev.tauon.kernel;

// Deterministic top-K of one row: the K largest values (float comparison, −0 equals +0), ties
// broken by the lower index, listed in increasing index order. The winners are the top K under
// one total order, so the set is a function of the row alone: a bounded heap finds it when K is
// small (kNN: 200 of 60,000), a radix histogram or quickselect plus an ordered scan otherwise.
public final class TopK {
    private TopK() {}

    // x[off .. off+n) without columns skipA, skipB (−1: none) -> idx[idxOff ..): the chosen columns
    // in increasing order; returns how many (min(k, candidates)). scratch holds >= n floats.
    public static int select(int[] idx, int idxOff, float[] x, int off, int n, int k, int skipA, int skipB, float[] scratch) {
        if (k > 0 && (long) k * 32 <= n) return heap(idx, idxOff, x, off, n, k, skipA, skipB, scratch);
        int m = n - (skipA >= 0 && skipA < n ? 1 : 0) - (skipB >= 0 && skipB < n && skipB != skipA ? 1 : 0);
        if (k <= 0 || m <= 0) return 0;
        int out = idxOff;
        if (k >= m) {
            for (int j = 0; j < n; j++) if (j != skipA && j != skipB) idx[out++] = j;
            return m;
        }
        float t;
        int above;                                      // candidates strictly above t
        if (m >= RADIX_MIN) {
            // A histogram over the top bits of an order-preserving key finds the bucket holding the
            // K-th largest; quickselect finishes inside it. Two passes over the row, then the scan.
            int[] hist = new int[1 << BUCKET_BITS];
            for (int j = 0; j < n; j++) if (j != skipA && j != skipB) hist[bucket(x[off + j])]++;
            int b = hist.length - 1;
            above = 0;
            while (above + hist[b] < k) above += hist[b--];
            int c = 0;
            for (int j = 0; j < n; j++) if (j != skipA && j != skipB && bucket(x[off + j]) == b) scratch[c++] = x[off + j];
            t = kthSmallest(scratch, c, c - (k - above));
            for (int i = 0; i < c; i++) if (scratch[i] > t) above++;
        } else {
            int c = 0;
            for (int j = 0; j < n; j++) if (j != skipA && j != skipB) scratch[c++] = x[off + j];
            t = kthSmallest(scratch, c, c - k);
            above = 0;
            for (int i = 0; i < c; i++) if (scratch[i] > t) above++;
        }
        int ties = k - above;                           // values equal to t taken by lowest index
        for (int j = 0; j < n; j++) {
            if (j == skipA || j == skipB) continue;
            float v = x[off + j];
            if (v > t || (v == t && ties-- > 0)) idx[out++] = j;
        }
        return k;
    }

    // A min-heap of the k best so far (root = the weakest); a later column only enters with a strictly
    // larger value, since on equal values the earlier column wins. Needs k floats of scratch.
    static int heap(int[] idx, int idxOff, float[] x, int off, int n, int k, int skipA, int skipB, float[] val) {
        int size = 0, j = 0;
        for (; j < n && size < k; j++) if (j != skipA && j != skipB) size = push(idx, idxOff, val, size, x[off + j], j);
        float weakest = size == k ? val[0] : Float.POSITIVE_INFINITY;
        while (true) {                                        // the hot loop: skip to the next column above the weakest
            j = Kernels.firstAbove(x, off + j, off + n, weakest) - off;
            if (j >= n) break;
            if (j != skipA && j != skipB) {
                replaceRoot(idx, idxOff, val, size, x[off + j], j);
                weakest = val[0];
            }
            j++;
        }
        java.util.Arrays.sort(idx, idxOff, idxOff + size);
        return size;
    }

    private static int push(int[] idx, int idxOff, float[] val, int size, float v, int j) {
        int c = size;
        while (c > 0) {
            int p = (c - 1) >>> 1;
            if (!weaker(v, j, val[p], idx[idxOff + p])) break;
            val[c] = val[p];
            idx[idxOff + c] = idx[idxOff + p];
            c = p;
        }
        val[c] = v;
        idx[idxOff + c] = j;
        return size + 1;
    }

    private static void replaceRoot(int[] idx, int idxOff, float[] val, int size, float v, int j) {
        int c = 0;
        while (true) {
            int l = 2 * c + 1;
            if (l >= size) break;
            int r = l + 1;
            int w = r < size && weaker(val[r], idx[idxOff + r], val[l], idx[idxOff + l]) ? r : l;
            if (!weaker(val[w], idx[idxOff + w], v, j)) break;
            val[c] = val[w];
            idx[idxOff + c] = idx[idxOff + w];
            c = w;
        }
        val[c] = v;
        idx[idxOff + c] = j;
    }

    // (va, ia) ranks below (vb, ib): smaller value, or equal value and a later column.
    private static boolean weaker(float va, int ia, float vb, int ib) {
        return va < vb || (va == vb && ia > ib);
    }

    static final int RADIX_MIN = 4096, BUCKET_BITS = 14;

    // Floats in increasing order map to increasing unsigned buckets; −0 is read as +0 (v + 0f), so
    // values equal as floats share a bucket. Rows must hold no NaN.
    private static int bucket(float v) {
        int bits = Float.floatToRawIntBits(v + 0f);
        int key = bits ^ ((bits >> 31) & 0x7fffffff);                 // signed order = float order
        return (key >>> (32 - BUCKET_BITS)) ^ (1 << (BUCKET_BITS - 1));  // flip the sign bit: unsigned order
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
