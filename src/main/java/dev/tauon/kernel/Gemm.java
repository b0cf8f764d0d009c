package dev.tauon.kernel;

// GEMM driver, BLIS-style: B is packed into kc×NR panels shared by all tasks, each task packs
// its own MR×kc panels of A (alpha folded in) and sweeps MR×NR micro-tiles of the C rows and
// columns it owns. Every C element still follows ScalarKernels.gemm's chain: beta once, then
// one fma per p in order; a kc-block continues from the partial stored in C, so tiling and
// thread count never change a bit.
public final class Gemm {
    static final int KC = 256;          // depth of a packed block: B panel (KC×NR) sits in L1
    static final int MC_PANELS = 24;    // MR-panels per task: the A block (24·MR×KC) sits in L2
    static final int B_SLAB = 1 << 22;  // floats of packed B per slab of columns (16 MiB)
    static final int SERIAL_FLOPS = 1 << 20;
    // Micro-tile of the selected kernel; constants, so the packing loops below unroll.
    static final int MR = Kernels.V ? VectorKernels.GEMM_MR : ScalarKernels.GEMM_MR;
    static final int NR = Kernels.V ? VectorKernels.GEMM_NR : ScalarKernels.GEMM_NR;

    private static final ThreadLocal<float[]> B_PACK = new ThreadLocal<>(), A_PACK = new ThreadLocal<>();

    private Gemm() {}

    public static void gemm(float[] c, int cOff, int ldc,
                            float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB,
                            int m, int n, int k, float alpha, float beta) {
        checkArgs(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k);
        if (m == 0 || n == 0) return;
        new Job(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta).run();
    }

    private record Job(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                       float[] b, int bOff, int ldb, boolean transB,
                       int m, int n, int k, float alpha, float beta) {

        // Per slab of columns: pack all of op(B) for the slab (parallel over panels), then run
        // the task grid; each task walks k in kc blocks, so a slab costs two joins in all.
        // (Parallel.forRange runs nothing when k == 0.)
        void run() {
            int kBlocks = Math.max(1, ceilDiv(k, KC)), kc = ceilDiv(k, kBlocks);
            int threads = Parallel.threads(), mp = ceilDiv(m, MR);
            int slab = Math.max(NR, Math.min(n, B_SLAB / Math.max(k, 1) / NR * NR));
            for (int jc = 0; jc < n; jc += slab) {
                int nb = Math.min(slab, n - jc), np = ceilDiv(nb, NR), jc0 = jc;
                // Task grid: rb row groups × cb column groups of panels; a multiple of the pool
                // size when there is enough work (bits never depend on it).
                int rb = ceilDiv(mp, MC_PANELS), cb = 1;
                if (threads > 1 && 2L * m * nb * k >= SERIAL_FLOPS) {
                    rb = Math.min(mp, roundUp(rb, threads));
                    cb = Math.min(np, ceilDiv(threads, rb));
                }
                int rows = rb, cols = cb;
                float[] bPack = borrow(B_PACK, np * NR * k);
                Parallel.forRange(k, Math.max(64, ceilDiv(k, 2 * threads)), (lo, hi) -> packB(bPack, jc0, nb, lo, hi));
                Parallel.forEach(rows * cols, t -> tile(bPack, jc0, nb, kc,
                        t / cols * mp / rows, (t / cols + 1) * mp / rows,
                        t % cols * np / cols, (t % cols + 1) * np / cols));
                B_PACK.set(bPack);
            }
        }

        // One task: C rows of A-panels [ip0, ip1) × columns of B-panels [jp0, jp1) of the slab
        // at jc; k in blocks of kc, each continuing the chain stored in C. Beta: 0 starts the
        // first block from zero (C is never read), 1 leaves C as is, others scale C first.
        void tile(float[] bPack, int jc, int nb, int kc, int ip0, int ip1, int jp0, int jp1) {
            if (k == 0 || (beta != 0f && beta != 1f)) {
                scaleC(ip0 * MR, Math.min(m, ip1 * MR), jc + jp0 * NR, jc + Math.min(nb, jp1 * NR));
            }
            if (k == 0) return;
            int tileOff = (ip1 - ip0) * MR * kc;
            float[] w = borrow(A_PACK, tileOff + MR * NR);
            int[] idx = Kernels.V && !transA ? VectorKernels.gemmPackIndex(lda) : null;
            for (int pc = 0; pc < k; pc += kc) {
                int kb = Math.min(kc, k - pc);
                boolean load = pc > 0 || beta != 0f;
                packA(w, ip0, ip1, pc, kb, idx);
                for (int jp = jp0; jp < jp1; jp++) {
                    int j = jc + jp * NR, nj = Math.min(NR, jc + nb - j), bo = jp * NR * k + pc * NR;
                    for (int ip = ip0; ip < ip1; ip++) {
                        int i = ip * MR, mi = Math.min(MR, m - i), ao = (ip - ip0) * MR * kb;
                        if (mi == MR && nj == NR) {
                            micro(c, cOff + i * ldc + j, ldc, w, ao, bPack, bo, kb, load);
                        } else {  // edge: run the full tile on a copy, write back the part inside C
                            java.util.Arrays.fill(w, tileOff, tileOff + MR * NR, 0f);
                            for (int r = 0; load && r < mi; r++) System.arraycopy(c, cOff + (i + r) * ldc + j, w, tileOff + r * NR, nj);
                            micro(w, tileOff, NR, w, ao, bPack, bo, kb, true);
                            for (int r = 0; r < mi; r++) System.arraycopy(w, tileOff + r * NR, c, cOff + (i + r) * ldc + j, nj);
                        }
                    }
                }
            }
            A_PACK.set(w);
        }

        void micro(float[] cc, int co, int ldcc, float[] ap, int ao, float[] bp, int bo, int kb, boolean load) {
            if (Kernels.V) VectorKernels.gemmMicro(cc, co, ldcc, ap, ao, bp, bo, kb, load);
            else ScalarKernels.gemmMicro(cc, co, ldcc, ap, ao, bp, bo, kb, load);
        }

        // C[i0:i1, j0:j1] = beta == 0 ? 0 : beta·C, the start of the canonical chain.
        void scaleC(int i0, int i1, int j0, int j1) {
            for (int i = i0; i < i1; i++) {
                int ci = cOff + i * ldc;
                if (beta == 0f) java.util.Arrays.fill(c, ci + j0, ci + j1, 0f);
                else for (int j = j0; j < j1; j++) c[ci + j] = beta * c[ci + j];
            }
        }

        // A-panels [ip0, ip1) of op(A)[:, pc:pc+kb] -> w: panel q at q·MR·kb, element (r, p) at
        // p·MR + r, holding alpha·A(i, p) (rounded, as the twin does); rows past m are zero.
        void packA(float[] w, int ip0, int ip1, int pc, int kb, int[] idx) {
            for (int ip = ip0; ip < ip1; ip++) {
                int base = (ip - ip0) * MR * kb, i0 = ip * MR, rows = Math.min(MR, m - i0);
                if (transA) {   // A(i, p) = a[(pc+p)·lda + i]: a panel's MR values are contiguous
                    for (int p = 0; p < kb; p++) {
                        int d = base + p * MR, s = aOff + (pc + p) * lda + i0;
                        if (rows == MR) for (int r = 0; r < MR; r++) w[d + r] = alpha * a[s + r];
                        else for (int r = 0; r < MR; r++) w[d + r] = r < rows ? alpha * a[s + r] : 0f;
                    }
                } else if (Kernels.V && rows == MR) {
                    VectorKernels.gemmPackA(w, base, a, aOff + i0 * lda + pc, lda, kb, alpha, idx);
                } else {
                    for (int r = 0; r < MR; r++) {
                        int d = base + r, s = aOff + (i0 + r) * lda + pc;
                        if (r < rows) for (int p = 0; p < kb; p++) w[d + p * MR] = alpha * a[s + p];
                        else for (int p = 0; p < kb; p++) w[d + p * MR] = 0f;
                    }
                }
            }
        }

        // op(B)[p0:p1, jc:jc+nb] -> bp: panel q at q·NR·k, element (p, j) at p·NR + j, so each
        // kc block of a panel is contiguous; columns past nb are zero. Untransposed B is read
        // row by row (sequential reads, ~2× faster than walking one panel at a time).
        void packB(float[] bp, int jc, int nb, int p0, int p1) {
            int np = ceilDiv(nb, NR);
            if (transB) {
                for (int jp = 0; jp < np; jp++) {
                    for (int jj = 0; jj < NR; jj++) {
                        int d = jp * NR * k + jj, bj = bOff + (jc + jp * NR + jj) * ldb;
                        if (jp * NR + jj >= nb) for (int p = p0; p < p1; p++) bp[d + p * NR] = 0f;
                        else for (int p = p0; p < p1; p++) bp[d + p * NR] = b[bj + p];
                    }
                }
                return;
            }
            int full = nb / NR;
            for (int p = p0; p < p1; p++) {
                int s = bOff + p * ldb + jc;
                if (Kernels.V) VectorKernels.gemmPackRow(bp, p * NR, NR * k, b, s, full);
                else for (int jp = 0; jp < full; jp++) {
                    int d = jp * NR * k + p * NR, sj = s + jp * NR;
                    for (int j = 0; j < NR; j++) bp[d + j] = b[sj + j];
                }
                if (full < np) {
                    int d = full * NR * k + p * NR, sj = s + full * NR, nj = nb - full * NR;
                    for (int j = 0; j < NR; j++) bp[d + j] = j < nj ? b[sj + j] : 0f;
                }
            }
        }
    }

    // A buffer taken out of its thread-local slot while in use, so that a nested GEMM run by a
    // pool thread while it waits on a join never shares it; put back with slot.set().
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
