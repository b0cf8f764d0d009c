package dev.tauon.kernel;

import java.util.Arrays;

// 2-D convolution over NCHW arrays (any R×S, stride, zero padding; no groups or dilation),
// lowered to Kernels.gemm through im2col (Im2col) over groups of G samples (col_G about 1 MiB,
// in L2); on the CPU, stride-1 layers wide enough run as implicit GEMMs without im2col (ConvDirect).
// Results keep the bits of the per-sample form (ConvReference in the tests): grouping changes
// no element's chain, and backwardWeight continues one chain over the groups with beta = 1.
// ConvDirect keeps them too, except backwardData (one chain per dx element over (k, r', s')
// instead of a chain per tap added by col2im; ConvReference.backwardDataDirect).
public final class Conv {
    static final int GROUP_FLOATS = 1 << 18;   // col_G: (C·R·S, G·P·Q) and dY_G: (K, G·P·Q) within 1 MiB
    static final int ROWS = 144;               // dW columns (c,r,s) per parallel chunk in backwardWeight

    private Conv() {}

    public static int outSize(int in, int kernel, int stride, int pad) {
        return (in + 2 * pad - kernel) / stride + 1;
    }

    // samples per GEMM: col_G and dY_G within GROUP_FLOATS, at least one; depends on the shape alone
    static int group(int N, int CRS, int K, int PQ) {
        return (int) Math.clamp(GROUP_FLOATS / Math.max(1L, (long) Math.max(CRS, K) * PQ), 1, Math.max(1, N));
    }

    // Whether each group's GEMM should fork too: only when there are too few groups to keep the
    // pool busy. Speed only: a GEMM's bits never depend on how it is split.
    static boolean fork(int N, int G) {
        return Math.ceilDiv(N, G) < 4 * Parallel.threads();
    }

    // Whether this convolution's products run on the CPU GEMM: no mm, or one that keeps products
    // of the grouped size (K × G·P·Q × C·R·S, the same m·n·k in all three passes) on the CPU
    static boolean cpu(MatMul mm, int N, int CRS, int K, int PQ) {
        return mm == null || mm.onCpu(K, group(N, CRS, K, PQ) * PQ, CRS);
    }

    // A product on mm, or on the CPU GEMM (fork = false: on the calling thread) when mm is null.
    private static void product(MatMul mm, boolean fork, float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                                float[] b, int bOff, int ldb, boolean transB, int m, int n, int k, float alpha, float beta) {
        if (mm == null) Gemm.gemm(fork, c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
        else mm.gemm(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
    }

    // x: (N,C,H,W), w: (K,C,R,S) -> y: (N,K,P,Q); y[n,k,p,q] = fma chain over (c,r,s) in order
    // out_G = W · col_G: (K, G·P·Q), then scattered to NCHW (a group of one writes y directly);
    // groups run in parallel, each GEMM on its group's thread when there are enough groups
    public static void forward(float[] y, float[] x, float[] w,
            int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        forward(y, x, w, N, C, H, W, K, R, S, stride, pad, null);
    }

    // As above, the products computed by mm (null: Tauon's CPU GEMM)
    public static void forward(float[] y, float[] x, float[] w,
            int N, int C, int H, int W, int K, int R, int S, int stride, int pad, MatMul mm) {
        int P = outSize(H, R, stride, pad), Q = outSize(W, S, stride, pad);
        if (C == 1 && stride == 1 && cpu(mm, N, R * S, K, P * Q)) {
            forward1(y, x, w, N, H, W, K, R, S, pad, P, Q);
            return;
        }
        if (cpu(mm, N, C * R * S, K, P * Q) && ConvDirect.applies(H, W, R, S, stride, pad, K)) {
            ConvDirect.forward(y, x, w, N, C, H, W, K, R, S, pad);
            return;
        }
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W, G = group(N, CRS, K, PQ);
        boolean fork = fork(N, G);
        Parallel.forRange(N, G, (lo, hi) -> {
            int L = (hi - lo) * PQ;
            float[] col = Scratch.take(CRS * L), out = hi - lo == 1 ? y : Scratch.take(K * L);
            for (int n = lo; n < hi; n++) Im2col.im2col(col, (n - lo) * PQ, L, 1, x, n * CHW, 0, CRS, C, H, W, R, S, P, Q, stride, pad);
            product(mm, fork, out, out == y ? lo * K * PQ : 0, L, w, 0, CRS, false, col, 0, L, false, K, L, CRS, 1f, 0f);
            if (out != y) {
                for (int n = lo; n < hi; n++) {
                    for (int k = 0; k < K; k++) System.arraycopy(out, k * L + (n - lo) * PQ, y, (n * K + k) * PQ, PQ);
                }
                Scratch.give(out);
            }
            Scratch.give(col);
        });
    }

    // forward for C = 1 at stride 1 (SmallConvNet's first layer: k = 9, so the GEMM mostly
    // stored and copied y): per sample, the plane zero-padded once (a few KiB, in L1), then
    // y_n computed from it directly by conv1Forward, the same chains as the GEMM's.
    static void forward1(float[] y, float[] x, float[] w, int N, int H, int W, int K, int R, int S, int pad, int P, int Q) {
        int Wp = Q + S - 1, Hp = P + R - 1;
        Parallel.forRange(N, 8, (lo, hi) -> {
            float[] xp = Scratch.take(Hp * Wp);
            Arrays.fill(xp, 0, Hp * Wp, 0f);
            for (int n = lo; n < hi; n++) {
                for (int h = 0; h < H; h++) System.arraycopy(x, (n * H + h) * W, xp, (h + pad) * Wp + pad, W);
                Twins.conv1Forward(y, n * K * P * Q, xp, Wp, w, K, R, S, P, Q);
            }
            Scratch.give(xp);
        });
    }

    // dy: (N,K,P,Q), w: (K,C,R,S) -> dx: (N,C,H,W), accumulated
    // dX_n += col2im(Wᵀ · dY_n), computed as col_G = Wᵀ · dY_G with dY_G: (K, G·P·Q) regrouped
    // (a group of one reads dy directly); groups run in parallel
    public static void backwardData(float[] dx, float[] dy, float[] w,
            int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        backwardData(dx, dy, w, N, C, H, W, K, R, S, stride, pad, null, true);
    }

    // As above, the products computed by mm (null: Tauon's CPU GEMM); accumulate = false
    // overwrites dx instead, with the bits of accumulating into +0 (its old contents are never
    // read, so an unzeroed buffer will do): ConvDirect stores its chains, which start from +0 and
    // so are never -0, and the im2col path zeroes each group's samples before adding into them.
    public static void backwardData(float[] dx, float[] dy, float[] w,
            int N, int C, int H, int W, int K, int R, int S, int stride, int pad, MatMul mm, boolean accumulate) {
        int P = outSize(H, R, stride, pad), Q = outSize(W, S, stride, pad);
        if (cpu(mm, N, C * R * S, K, P * Q) && ConvDirect.appliesBackward(H, W, R, S, stride, pad, C)) {
            ConvDirect.backwardData(dx, dy, w, N, C, H, W, K, R, S, pad, accumulate);
            return;
        }
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W, G = group(N, CRS, K, PQ);
        boolean fork = fork(N, G);
        Parallel.forRange(N, G, (lo, hi) -> {
            int L = (hi - lo) * PQ;
            if (!accumulate) Arrays.fill(dx, lo * CHW, hi * CHW, 0f);
            float[] col = Scratch.take(CRS * L), dyG = hi - lo == 1 ? dy : Scratch.take(K * L);
            if (dyG != dy) regroup(dyG, dy, lo, hi, K, PQ);
            product(mm, fork, col, 0, L, w, 0, CRS, true, dyG, dyG == dy ? lo * K * PQ : 0, L, false, CRS, L, K, 1f, 0f);
            for (int n = lo; n < hi; n++) Im2col.col2im(dx, n * CHW, col, (n - lo) * PQ, L, C, H, W, R, S, P, Q, stride, pad);
            Scratch.give(col);
            if (dyG != dy) Scratch.give(dyG);
        });
    }

    // x: (N,C,H,W), dy: (N,K,P,Q) -> dw: (K,C,R,S), accumulated
    // dWᵀ += Σ_G col_G · dY_Gᵀ. Canonical order: each dW[k,(c,r,s)] continues one fma chain from
    // its incoming value over n = 0..N-1, then (p,q) in row-major order: the GEMM's depth runs
    // over (n,p,q) in that order and each group (or sample) continues the chain with beta = 1. Chunks of
    // ROWS (c,r,s) rows own their part of dWᵀ and walk all groups; transposed, the GEMM's
    // columns are K, whole micro-tiles for SmallConvNet's layers.
    public static void backwardWeight(float[] dw, float[] x, float[] dy,
            int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        backwardWeight(dw, x, dy, N, C, H, W, K, R, S, stride, pad, null);
    }

    // As above, the products computed by mm (null: Tauon's CPU GEMM)
    public static void backwardWeight(float[] dw, float[] x, float[] dy,
            int N, int C, int H, int W, int K, int R, int S, int stride, int pad, MatMul mm) {
        int P = outSize(H, R, stride, pad), Q = outSize(W, S, stride, pad);
        if (cpu(mm, N, C * R * S, K, P * Q) && ConvDirect.appliesBackward(H, W, R, S, stride, pad, Integer.MAX_VALUE)) {
            ConvDirect.backwardWeight(dw, x, dy, N, C, H, W, K, R, S, pad);
            return;
        }
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W, G = group(N, CRS, K, PQ);
        float[] dwT = Scratch.take(Math.ceilDiv(CRS, Gemm.MR) * Gemm.MR * K);
        transpose(dwT, dw, K, CRS);
        boolean fork = Math.ceilDiv(CRS, ROWS) < Parallel.threads();
        // On the CPU with P·Q >= KC/2, one product per sample reads dY_n where it lies: the depth
        // blocks are as long as the group's (P·Q = 784: 196, 196: 196), and the regroup copy of
        // dY, made once per chunk, is saved. At P·Q = 49 the short blocks cost more than it.
        boolean perSample = mm == null && PQ >= Gemm.KC / 2;
        Parallel.forRange(CRS, ROWS, (r0, r1) -> {
            // A last chunk of J rows runs as whole micro-panels of Jp: rows J..Jp-1 of col are
            // zero and their dWᵀ rows (past CRS) discarded; col is then read in place, not packed
            // (1->32: J = 9). Each row's chain is its own, so the padding changes no bit.
            int J = r1 - r0, Jp = Math.ceilDiv(J, Gemm.MR) * Gemm.MR;
            float[] col = Scratch.take(Jp * G * PQ), dyG = G == 1 || perSample ? dy : Scratch.take(K * G * PQ);
            for (int lo = 0; lo < N; lo += G) {
                int hi = Math.min(N, lo + G), L = (hi - lo) * PQ;
                for (int n = lo; n < hi; n++) Im2col.im2col(col, (n - lo) * PQ, L, 1, x, n * CHW, r0, r1, C, H, W, R, S, P, Q, stride, pad);
                Arrays.fill(col, J * L, Jp * L, 0f);
                if (perSample) {
                    for (int n = lo; n < hi; n++) product(mm, fork, dwT, r0 * K, K, col, (n - lo) * PQ, L, false, dy, n * K * PQ, PQ, true, Jp, K, PQ, 1f, 1f);
                    continue;
                }
                if (dyG != dy) regroup(dyG, dy, lo, hi, K, PQ);
                product(mm, fork, dwT, r0 * K, K, col, 0, L, false, dyG, dyG == dy ? lo * K * PQ : 0, dyG == dy ? PQ : L, true, Jp, K, L, 1f, 1f);
            }
            Scratch.give(col);
            if (dyG != dy) Scratch.give(dyG);
        });
        transpose(dw, dwT, CRS, K);
        Scratch.give(dwT);
    }

    // a: (rows, cols) -> t: (cols, rows)
    static void transpose(float[] t, float[] a, int rows, int cols) {
        transpose(t, rows, a, cols, rows, cols);
    }

    // a: (rows, cols), row stride lda -> t: (cols, rows), row stride ldt
    static void transpose(float[] t, int ldt, float[] a, int lda, int rows, int cols) {
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * ldt + i] = a[i * lda + j];
    }

    // dy[lo:hi]: (hi-lo, K, PQ) -> dyG: (K, (hi-lo)·PQ)
    static void regroup(float[] dyG, float[] dy, int lo, int hi, int K, int PQ) {
        int L = (hi - lo) * PQ;
        for (int n = lo; n < hi; n++) {
            for (int k = 0; k < K; k++) System.arraycopy(dy, (n * K + k) * PQ, dyG, k * L + (n - lo) * PQ, PQ);
        }
    }

    // y: (N,K,P,Q) += b: (K) broadcast
    public static void biasForward(float[] y, float[] b, int N, int K, int P, int Q) {
        int PQ = P * Q;
        Parallel.forRange(N * K, Kernels.grain(PQ), (lo, hi) -> {
            for (int nk = lo; nk < hi; nk++) {
                float bk = b[nk % K];
                for (int i = nk * PQ, end = i + PQ; i < end; i++) y[i] += bk;
            }
        });
    }

    // dy: (N,K,P,Q) -> db: (K), accumulated
    // dB[k] += Σ_n Σ_pq dY[n,k,p,q]: each plane summed by Kernels.sum, planes added in n order in double
    public static void biasBackward(float[] db, float[] dy, int N, int K, int P, int Q) {
        int PQ = P * Q;
        Parallel.forRange(K, 1, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                double s = 0;
                for (int n = 0; n < N; n++) s += Kernels.sum(dy, (n * K + k) * PQ, PQ);
                db[k] += (float) s;
            }
        });
    }
}
