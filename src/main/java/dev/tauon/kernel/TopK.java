package dev.tauon.kernel;

// Deterministic top-K of one row: the K largest values (float comparison, −0 equals +0), ties
// broken by the lower index, listed in increasing index order. The winners are the top K under
// one total order, so the set is a function of the row alone: a bounded heap finds it when K is
// small (kNN: 200 of 60,000); otherwise a sampled lower bound, one filtering pass and a
// counting bisection among the few candidates (the hard loss: 4,914 of 60,000).
public final class TopK {
    private TopK() {}

    // Scratch for select, sized for rows of up to n columns; overwritten by every call.
    public record Work(float[] val, int[] col, float[] sel) {
        public Work(int n) { this(new float[n], new int[n], new float[n]); }
    }

    // x[off .. off+n) without columns skipA, skipB (−1: none) -> idx[idxOff ..): the chosen columns
    // in increasing order; returns how many (min(k, candidates)). Rows must hold no NaN (a NaN is
    // never chosen). w holds >= n entries.
    public static int select(int[] idx, int idxOff, float[] x, int off, int n, int k, int skipA, int skipB, Work w) {
        if (k > 0 && (long) k * 32 <= n) return heap(idx, idxOff, x, off, n, k, skipA, skipB, w.sel());
        int m = n - (skipA >= 0 && skipA < n ? 1 : 0) - (skipB >= 0 && skipB < n && skipB != skipA ? 1 : 0);
        if (k <= 0 || m <= 0) return 0;
        int out = idxOff;
        if (k >= m) {
            for (int j = 0; j < n; j++) if (j != skipA && j != skipB) idx[out++] = j;
            return m;
        }
        // Every value >= lo is a candidate (in column order, one vectorised pass); if lo lies at or
        // below the K-th largest, the K-th largest of the candidates is that of the row. lo comes
        // from a sample and is low enough almost always; if not, every value is a candidate.
        float[] val = w.val();
        int[] col = w.col();
        float va = skipA >= 0 && skipA < n ? x[off + skipA] : Float.NaN;      // NaN: counts nowhere
        float vb = skipB >= 0 && skipB < n && skipB != skipA ? x[off + skipB] : Float.NaN;
        float lo = m >= SAMPLE_MIN ? sampledBound(x, off, n, (double) k / m, w.sel()) : Float.NEGATIVE_INFINITY;
        int c = Kernels.filterAtLeast(val, col, x, off, n, lo);
        int live = c - (va >= lo ? 1 : 0) - (vb >= lo ? 1 : 0);
        if (live < k && lo != Float.NEGATIVE_INFINITY) {
            lo = Float.NEGATIVE_INFINITY;
            c = Kernels.filterAtLeast(val, col, x, off, n, lo);
            live = c - (va >= lo ? 1 : 0) - (vb >= lo ? 1 : 0);
        }
        if (live < k) k = live;                          // only when the row holds NaN
        if (k <= 0) return 0;
        float t = kthLargest(val, c, k, va, vb);
        int above = t == Float.POSITIVE_INFINITY ? 0 : Kernels.countAtLeast(val, 0, c, Math.nextUp(t)) - (va > t ? 1 : 0) - (vb > t ? 1 : 0);
        int ties = k - above;
        for (int i = 0; i < c; i++) {                    // values equal to t taken by lowest index
            int j = col[i];
            if (j == skipA || j == skipB) continue;
            float v = val[i];
            if (v > t || (v == t && ties-- > 0)) idx[out++] = j;
        }
        return k;
    }

    static final int SAMPLE_MIN = 4096, STRIDE = 16;

    // A value that at least a share `frac` of the row is at or above, with high probability: in a
    // sample of every STRIDE-th value, the one ranked about four standard deviations past the
    // expected rank of the row's quantile. Uses sel for the sample.
    private static float sampledBound(float[] x, int off, int n, double frac, float[] sel) {
        int s = 0;
        for (int j = STRIDE / 2; j < n; j += STRIDE) sel[s++] = x[off + j];
        double r = frac * s;
        int rank = (int) Math.min(s, Math.ceil(r + 4 * Math.sqrt(r) + 8));    // 1-based, from the top
        return kthLargest(sel, s, rank, Float.NaN, Float.NaN);
    }

    // The k-th largest of v[0 .. n) leaving out one copy each of va and vb (NaN: none), for
    // 1 <= k <= that many non-NaN values: bisection over the float order, each step one vectorised
    // count of the values at or above the probe. The largest probe with at least k values at or
    // above it is the k-th largest value itself (−0 and +0 count alike).
    static float kthLargest(float[] v, int n, int k, float va, float vb) {
        long lo = key(Float.NEGATIVE_INFINITY), hi = key(Float.POSITIVE_INFINITY);   // answer in [lo, hi]
        while (lo < hi) {
            long mid = (lo + hi + 1) >> 1;
            float t = value((int) mid);
            int c = Kernels.countAtLeast(v, 0, n, t) - (va >= t ? 1 : 0) - (vb >= t ? 1 : 0);
            if (c >= k) lo = mid; else hi = mid - 1;
        }
        return value((int) lo);
    }

    // Floats in increasing order map to increasing ints (−0 just below +0), and back.
    private static int key(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static float value(int key) { return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff)); }

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
}
