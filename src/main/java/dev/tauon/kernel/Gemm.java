package dev.tauon.kernel;

// GEMM driver, BLIS-style. C is split into a grid of blocks, one task each (a single fork/join
// per call); a task runs the BLIS loops on its block: kc×NR panels of B and MR×kc panels of A
// (alpha folded in) are packed into per-thread buffers and an MR×NR micro-kernel sweeps them.
// Every C element follows ScalarGemm.gemm's chain: beta once, then one fma per p in order;
// a kc block continues from the partial stored in C, so tiling and threads never change a bit.
public final class Gemm {
    static final int KC = 256;          // depth of a block: a B micro-panel (KC×NR) sits in L1
    static final int MC = 24;           // MR-panels per A block: 24·MR×KC floats sit in L2
    static final int NC = 2048;         // columns per B block (KC×NC floats, 2 MiB)
    static final int SERIAL_FLOPS = 1 << 20;
    // Micro-tile of the selected kernels (Twins); constants, so the packing loops below unroll.
    static final int MR = Twins.MR, NR = Twins.NR;
    static final int A_DIRECT_COLS = Twins.A_DIRECT_COLS;   // at most this many columns: A read in place (see block)

    private static final ThreadLocal<float[]> B_PACK = new ThreadLocal<>(), A_PACK = new ThreadLocal<>();

    private Gemm() {}

    // C: (m, n) = alpha·op(A)·op(B) + beta·C, op(A): (m, k), op(B): (k, n), row-major with
    // leading dimensions and offsets; layout and canonical order as in ScalarGemm.gemm.
    public static void gemm(float[] c, int cOff, int ldc,
                            float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB,
                            int m, int n, int k, float alpha, float beta) {
        gemm(true, c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
    }

    // As gemm; fork = false keeps it on the calling thread, for callers that already run one
    // GEMM per parallel chunk (Conv): a nested fork/join per call then only adds its overhead
    // to small products (docs/performance.md).
    static void gemm(boolean fork, float[] c, int cOff, int ldc,
                     float[] a, int aOff, int lda, boolean transA,
                     float[] b, int bOff, int ldb, boolean transB,
                     int m, int n, int k, float alpha, float beta) {
        checkArgs(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k);
        if (m == 0 || n == 0) return;
        Job job = new Job(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
        if (fork) job.run();
        else job.block(0, m, 0, n);
    }

    private record Job(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                       float[] b, int bOff, int ldb, boolean transB,
                       int m, int n, int k, float alpha, float beta) {

        // Task grid: rb row groups × cb column groups of micro-panels, one task per pool thread
        // when there is enough work. A group of C rows repacks B, a group of columns repacks A,
        // so the split minimises cb·m + rb·n. (Bits never depend on the grid.)
        void run() {
            int mp = ceilDiv(m, MR), np = ceilDiv(n, NR);
            int rb = 1, cb = 1;
            for (int tasks = 2L * m * n * k < SERIAL_FLOPS ? 1 : Parallel.threads(); tasks > 1 && rb * cb == 1; tasks--) {
                for (int r = 1; r <= tasks; r++) {
                    int q = tasks / r;
                    if (r * q != tasks || r > mp || q > np) continue;
                    if (rb * cb == 1 || (long) q * m + (long) r * n < (long) cb * m + (long) rb * n) { rb = r; cb = q; }
                }
            }
            int rows = rb, cols = cb;
            Parallel.forEach(rows * cols, t -> block(
                    t / cols * mp / rows * MR, Math.min(m, (t / cols + 1) * mp / rows * MR),
                    t % cols * np / cols * NR, Math.min(n, (t % cols + 1) * np / cols * NR)));
        }

        // C[i0:i1, j0:j1], the BLIS loops: columns in blocks of NC, depth in blocks of kc
        // (each continuing the chain stored in C), rows in blocks of MC panels. Beta: 0 starts
        // the first depth block from zero (C is never read), 1 leaves C as is, others scale C.
        void block(int i0, int i1, int j0, int j1) {
            if (k == 0 || (beta != 0f && beta != 1f)) scaleC(i0, i1, j0, j1);
            if (k == 0) return;
            int kc = ceilDiv(k, ceilDiv(k, KC)), tileOff = MC * MR * kc;
            float[] bp = borrow(B_PACK, kc * Math.min(roundUp(j1 - j0, NR), NC));
            float[] ap = borrow(A_PACK, tileOff + MR * NR);
            int[] idx = transA ? null : Twins.gemmPackIndex(lda);
            // Rows that fit one sweep of A blocks use each B micro-panel in one burst of tiles:
            // the micro-kernel then reads untransposed B in place (row stride ldb) and only a
            // partial last panel is packed: it pays for Conv's small-m products. Only up to 144
            // rows: past that the packing is amortised over as many tiles, and B's rows ldb apart
            // cost more than the packed panel saves (figures in docs/performance.md).
            boolean direct = !transB && i1 - i0 <= MC * MR / 2;
            // Few columns: each A panel serves only a tile or a few, so packing it is a pass of
            // its own; full panels of untransposed A (alpha = 1) are then read in place too.
            // Conv.backwardWeight (col · dYᵀ, n = K): see docs/performance.md.
            boolean aDirect = !transA && alpha == 1f && j1 - j0 <= A_DIRECT_COLS;
            int[] aRows = aDirect ? new int[MR] : null;
            for (int r = 0; aDirect && r < MR; r++) aRows[r] = r * lda;
            for (int jc = j0; jc < j1; jc += NC) {
                int nb = Math.min(NC, j1 - jc), full = nb / NR * NR;
                for (int pc = 0; pc < k; pc += kc) {
                    int kb = Math.min(kc, k - pc);
                    boolean load = pc > 0 || beta != 0f;
                    if (!direct) packB(bp, jc, nb, pc, kb);
                    else if (full < nb) packB(bp, jc + full, nb - full, pc, kb);
                    for (int ic = i0; ic < i1; ic += MC * MR) {
                        int mb = Math.min(MC * MR, i1 - ic);
                        packA(ap, ic, mb, pc, kb, idx, aDirect);
                        for (int jr = 0; jr < nb; jr += NR) {
                            boolean inPlace = direct && jr < full;
                            float[] bs = inPlace ? b : bp;
                            int bo = inPlace ? bOff + pc * ldb + jc + jr : direct ? 0 : jr * kb, ldbs = inPlace ? ldb : NR;
                            for (int q = 0, ir = 0; ir < mb; ir = panelRow(mb, ++q)) {
                                int mi = panelRow(mb, q + 1) - ir;
                                if (aDirect && mi == MR) tileA(ap, aOff + (ic + ir) * lda + pc, aRows, bs, bo, ldbs, ic + ir, jc + jr, Math.min(NR, nb - jr), kb, load, tileOff);
                                else tile(ap, q * MR * kb, bs, bo, ldbs, ic + ir, jc + jr, mi, Math.min(NR, nb - jr), kb, load, tileOff);
                            }
                        }
                    }
                }
            }
            A_PACK.set(ap);
            B_PACK.set(bp);
        }

        // One MR×NR micro-tile at C[i, j], of which mi×nj lie inside C; B's rows ldbp apart. An
        // edge tile runs on a copy in ap[tileOff..] and only its inside part is written back.
        void tile(float[] ap, int ao, float[] bp, int bo, int ldbp, int i, int j, int mi, int nj, int kb, boolean load, int tileOff) {
            if (mi == MR && nj == NR) {
                Twins.gemmMicro(MR, c, cOff + i * ldc + j, ldc, ap, ao, bp, bo, ldbp, kb, load);
                return;
            }
            if (mi == 8 && nj == NR) {   // the vector set's 8-row panels (panelRow)
                Twins.gemmMicro(8, c, cOff + i * ldc + j, ldc, ap, ao, bp, bo, ldbp, kb, load);
                return;
            }
            java.util.Arrays.fill(ap, tileOff, tileOff + MR * NR, 0f);
            for (int r = 0; load && r < mi; r++) System.arraycopy(c, cOff + (i + r) * ldc + j, ap, tileOff + r * NR, nj);
            Twins.gemmMicro(MR, ap, tileOff, NR, ap, ao, bp, bo, ldbp, kb, true);
            for (int r = 0; r < mi; r++) System.arraycopy(ap, tileOff + r * NR, c, cOff + (i + r) * ldc + j, nj);
        }

        // tile() for a full row panel of A read in place from a[ao], rows lda apart (aRows: r·lda).
        void tileA(float[] ap, int ao, int[] aRows, float[] bp, int bo, int ldbp, int i, int j, int nj, int kb, boolean load, int tileOff) {
            if (nj == NR) {
                Twins.gemmMicroAOff(c, cOff + i * ldc + j, ldc, a, aRows, 0, ao, bp, bo, ldbp, kb, load);
                return;
            }
            java.util.Arrays.fill(ap, tileOff, tileOff + MR * NR, 0f);
            for (int r = 0; load && r < MR; r++) System.arraycopy(c, cOff + (i + r) * ldc + j, ap, tileOff + r * NR, nj);
            Twins.gemmMicroAOff(ap, tileOff, NR, a, aRows, 0, ao, bp, bo, ldbp, kb, true);
            for (int r = 0; r < MR; r++) System.arraycopy(ap, tileOff + r * NR, c, cOff + (i + r) * ldc + j, nj);
        }

        // C[i0:i1, j0:j1] = beta == 0 ? 0 : beta·C, the start of the canonical chain.
        void scaleC(int i0, int i1, int j0, int j1) {
            for (int i = i0; i < i1; i++) {
                int ci = cOff + i * ldc;
                if (beta == 0f) java.util.Arrays.fill(c, ci + j0, ci + j1, 0f);
                else for (int j = j0; j < j1; j++) c[ci + j] = beta * c[ci + j];
            }
        }

        // op(A)[i0:i0+mb, pc:pc+kb] -> ap: panel q at q·MR·kb, element (r, p) at p·MR + r,
        // holding alpha·A(i, p) (rounded, as the twin does); rows past the block are zero.
        // With skipFull, full panels (read in place) are left out.
        void packA(float[] ap, int i0, int mb, int pc, int kb, int[] idx, boolean skipFull) {
            for (int q = 0; q < ceilDiv(mb, MR); q++) {
                int base = q * MR * kb, iq = i0 + panelRow(mb, q), rows = panelRow(mb, q + 1) - panelRow(mb, q);
                if (skipFull && rows == MR) continue;
                if (transA) {   // A(i, p) = a[(pc+p)·lda + i]: a panel's MR values are contiguous
                    for (int p = 0; p < kb; p++) {
                        int d = base + p * MR, s = aOff + (pc + p) * lda + iq;
                        if (rows == MR) for (int r = 0; r < MR; r++) ap[d + r] = alpha * a[s + r];
                        else for (int r = 0; r < MR; r++) ap[d + r] = r < rows ? alpha * a[s + r] : 0f;
                    }
                } else if (rows == MR) {
                    Twins.gemmPackA(ap, base, a, aOff + iq * lda + pc, lda, kb, alpha, idx);
                } else {
                    for (int r = 0; r < MR; r++) {
                        int d = base + r, s = aOff + (iq + r) * lda + pc;
                        if (r < rows) for (int p = 0; p < kb; p++) ap[d + p * MR] = alpha * a[s + p];
                        else for (int p = 0; p < kb; p++) ap[d + p * MR] = 0f;
                    }
                }
            }
        }

        // op(B)[pc:pc+kb, jc:jc+nb] -> bp: panel q at q·NR·kb, element (p, j) at p·NR + j;
        // columns past the block are zero. Untransposed B is read row by row (sequentially).
        void packB(float[] bp, int jc, int nb, int pc, int kb) {
            int np = ceilDiv(nb, NR), full = nb / NR;
            if (transB) {   // B(p, j) = b[j·ldb + p]: contiguous along p
                int[] idx = columnIndex(ldb);
                for (int q = 0; q < full; q++) Twins.gemmPackColumns(bp, q * NR * kb, b, bOff + (jc + q * NR) * ldb + pc, kb, idx);
                for (int jj = full * NR; jj < np * NR; jj++) {   // a partial last panel, zero-padded
                    int d = jj / NR * NR * kb + jj % NR, s = bOff + (jc + jj) * ldb + pc;
                    if (jj >= nb) for (int p = 0; p < kb; p++) bp[d + p * NR] = 0f;
                    else for (int p = 0; p < kb; p++) bp[d + p * NR] = b[s + p];
                }
                return;
            }
            for (int p = 0; p < kb; p++) {
                int s = bOff + (pc + p) * ldb + jc;
                Twins.gemmPackRow(bp, p * NR, NR * kb, b, s, full);
                if (full < np) {
                    int d = full * NR * kb + p * NR, sj = s + full * NR, nj = nb - full * NR;
                    for (int j = 0; j < NR; j++) bp[d + j] = j < nj ? b[sj + j] : 0f;
                }
            }
        }
    }

    // First row of panel q of an mb-row block (q = panels: mb). Panels of MR rows, but with the
    // vector set's 12-row tile a last panel of 4 rows becomes two of 8 (m = 64: 12,12,12,12,8,8).
    static int panelRow(int mb, int q) {
        if (MR == 12 && mb > MR && mb % MR == 4 && q == ceilDiv(mb, MR) - 1) return mb - 8;
        return Math.min(q * MR, mb);
    }

    // The gather index of gemmPackColumns for columns ld apart: idx[j] = j·ld
    static int[] columnIndex(int ld) {
        int[] idx = new int[NR];
        for (int j = 0; j < NR; j++) idx[j] = j * ld;
        return idx;
    }

    // A per-thread buffer, taken out of its slot while in use (put back with slot.set()), so two
    // GEMMs on one thread, e.g. one started from inside another's task, never share it.
    private static float[] borrow(ThreadLocal<float[]> slot, int size) {
        float[] buf = slot.get();
        slot.set(null);
        return buf != null && buf.length >= size ? buf : new float[Math.max(size, 1)];
    }

    private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    private static int roundUp(int x, int y) { return ceilDiv(x, y) * y; }

    // Leading dimensions and array extents, checked once so kernels can index freely.
    static void checkArgs(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                          float[] b, int bOff, int ldb, boolean transB, int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        checkMatrix("C", c, cOff, m, n, ldc);
        checkMatrix("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        checkMatrix("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
    }

    private static void checkMatrix(String name, float[] x, int off, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new IllegalArgumentException("gemm: " + name + " is (" + rows + ", " + cols + ") but its leading dimension is " + ld);
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("gemm: " + name + " (" + rows + ", " + cols + ") with ld " + ld
                    + " at offset " + off + " needs " + last + " elements, array has " + x.length);
        }
    }
}
