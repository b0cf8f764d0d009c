package dev.tauon.kernel;

import java.util.Arrays;

// Stride-1 convolutions as implicit GEMMs over zero-padded planes: no im2col, no col2im.
// Each input plane is padded to Hp = H + 2·ph rows of Wp = W + pw: a row's right padding is the
// next row's left padding (row h's data at (h+ph)·Wp + pw, every other float zero). The output
// is computed Wp wide (P rows of Wp, the last Wp - Q columns of each row discarded), and
// output position o = p·Wp + q reads tap (c, r, s) at in_pad[c·Hp·Wp + r·Wp + s + o]: row
// (c,r,s) of the im2col matrix is the padded input read from offset off[(c,r,s)], so the
// micro-kernel reads B in place through an offset table and a 32-column tile touches a few
// lines per channel instead of 9 rows of col. With 3×3 kernels and pad 1 one column in Wp is
// extra work (1/Wp: 3.4 % at 28×28, 6.7 % at 14×14, 12.5 % at 7×7); the saved im2col pass and
// the L1-resident B tiles more than pay for it (docs/performance.md).
//
// out[co, p, q] = chain from +0 over (ci, r, s) in order of fma(A[co, (ci,r,s)], in_pad[ci, p+r, q+s]),
// with in_pad zero outside the input: forward is im2col + GEMM's chain bit for bit (A = W);
// backwardData is the same kernel on dY padded by R-1-pad, with A the flipped, transposed W.
final class ConvDirect {
    static final int PR = Gemm.MR;   // rows of a packed A panel: the micro-kernel's, panels as Gemm.panelRow cuts them

    static volatile boolean enabled = true;   // false: Conv's im2col paths only (A/B timing in DirectTiming)

    private ConvDirect() {}

    // backwardData and backwardWeight also need rows wide enough that the extra columns cost at
    // most an eighth (Wp = W + pad wide, pad or S-1-pad of them extra): past that the wasted
    // columns outweigh the saved im2col pass, and im2col's grouped GEMMs win (DirectTiming;
    // figures in docs/performance.md)
    static boolean appliesBackward(int H, int W, int R, int S, int stride, int pad, int outChannels) {
        return applies(H, W, R, S, stride, pad, outChannels) && Math.max(pad, S - 1 - pad) * 8L <= W + pad;
    }

    // Stride 1, padding within the kernel (so backwardData pads dY by R-1-pad >= 0), output rows
    // at least one tile wide in all, and at least 8 output channels (rows of A) for forward and
    // backwardData: narrower products keep im2col's grouped GEMMs.
    static boolean applies(int H, int W, int R, int S, int stride, int pad, int outChannels) {
        if (!enabled || stride != 1 || pad >= R || pad >= S || outChannels < 8) return false;
        int P = Conv.outSize(H, R, 1, pad);   // forward: P rows W+pad wide; backwardData: H rows W+pad wide
        return P >= 1 && Conv.outSize(W, S, 1, pad) >= 1 && (long) P * (W + pad) >= Gemm.NR && (long) H * (W + pad) >= Gemm.NR;
    }

    // x: (N,C,H,W), w: (K,C,R,S) -> y: (N,K,P,Q), overwritten
    static void forward(float[] y, float[] x, float[] w, int N, int C, int H, int W, int K, int R, int S, int pad) {
        int CRS = C * R * S;
        run(y, false, x, N, C, H, W, pad, pad, new Panels(K, CRS, (k, j) -> w[k * CRS + j]), R, S);
    }

    // dy: (N,K,P,Q), w: (K,C,R,S) -> dx: (N,C,H,W), accumulated (or overwritten): dx += conv(dy
    // padded by R-1-pad, S-1-pad; A[c, (k,r',s')] = w[k, c, R-1-r', S-1-s'])
    static void backwardData(float[] dx, float[] dy, float[] w, int N, int C, int H, int W, int K, int R, int S, int pad, boolean accumulate) {
        int P = Conv.outSize(H, R, 1, pad), Q = Conv.outSize(W, S, 1, pad), RS = R * S;
        Panels a = new Panels(C, K * RS, (c, j) -> w[(j / RS * C + c) * RS + RS - 1 - j % RS]);
        run(dx, accumulate, dy, N, K, P, Q, R - 1 - pad, S - 1 - pad, a, R, S);
    }

    // x: (N,C,H,W), dy: (N,K,P,Q) -> dw: (K,C,R,S), accumulated. dWᵀ[(c,r,s), k] continues one
    // chain from its incoming value over n, then the Wp-wide positions o = p·Wp + q in order:
    // fma(x_pad[c, p+r, q+s], dY[k, p, q]), dY taken as +0 in the S-1 extra columns. That is
    // Conv's canonical order (n, p, q) with +0 terms added, which leave a chain as it was (x
    // finite, partial sum not -0). Chunks of (c,r,s) rows own their rows of dWᵀ and walk all
    // samples; A's rows are windows of the chunk's padded channels (gemmMicroAOff), dYᵀ is
    // packed per sample, K wide in panels of NR (dWᵀ is Kp = whole panels wide, rows whole
    // panels of PR: no edge tiles; the extra rows and columns are discarded).
    static void backwardWeight(float[] dw, float[] x, float[] dy, int N, int C, int H, int W, int K, int R, int S, int pad) {
        int P = Conv.outSize(H, R, 1, pad), Q = Conv.outSize(W, S, 1, pad), RS = R * S, CRS = C * RS;
        int Hp = H + 2 * pad, Wp = W + pad, plane = Hp * Wp, nOut = P * Wp, PQ = P * Q, CHW = C * H * W;
        int NR = Gemm.NR, panels = Math.ceilDiv(K, NR), Kp = panels * NR, rowsP = Math.ceilDiv(CRS, PR) * PR;
        float[] dwT = Scratch.take(rowsP * Kp);
        Conv.transpose(dwT, Kp, dw, CRS, K, CRS);
        // one chunk per thread: each row's chain is the same in any chunk, and every chunk pads
        // its channels and packs dYᵀ again per sample
        int rows = Math.ceilDiv(Math.ceilDiv(CRS, Parallel.threads()), PR) * PR;
        Parallel.forRange(CRS, rows, (r0, r1) -> {
            int c0 = r0 / RS, c1 = Math.ceilDiv(r1, RS), Jp = Math.ceilDiv(r1 - r0, PR) * PR, padLen = (c1 - c0) * plane + S;
            int[] rowOff = new int[Jp];
            for (int i = 0; i < r1 - r0; i++) {
                int row = r0 + i;
                rowOff[i] = (row / RS - c0) * plane + row / S % R * Wp + row % S;
            }
            float[] xp = Scratch.take(padLen), bp = Scratch.take(panels * nOut * NR);
            Arrays.fill(xp, 0, padLen, 0f);
            int[] idx = Gemm.columnIndex(PQ);
            for (int n = 0; n < N; n++) {
                for (int c = c0; c < c1; c++) {
                    for (int h = 0; h < H; h++) System.arraycopy(x, n * CHW + (c * H + h) * W, xp, (c - c0) * plane + (h + pad) * Wp + pad, W);
                }
                for (int j = 0; j < panels; j++) packDyT(bp, j * nOut * NR, dy, n * K * PQ, j * NR, Math.min(NR, K - j * NR), P, Q, Wp, idx);
                for (int j = 0; j < panels; j++) {   // the whole depth per call: blocks of 128 or 256 were not faster
                    for (int i = 0; i < Jp; i += PR) {
                        int co = (r0 + i) * Kp + j * NR, bo = j * nOut * NR;
                        Twins.gemmMicroAOff(dwT, co, Kp, xp, rowOff, i, 0, bp, bo, NR, nOut, true);
                    }
                }
            }
            Scratch.give(bp);
            Scratch.give(xp);
        });
        Conv.transpose(dw, CRS, dwT, Kp, CRS, K);
        Scratch.give(dwT);
    }

    // dY_n columns k0 .. k0+nk-1 -> one packed panel of dYᵀ, Wp-wide positions: bp[d + o·NR + j] =
    // dY[k0+j, p, q] at o = p·Wp + q, +0 where q >= Q or j >= nk. Full panels by gemmPackColumns (idx: j·PQ).
    static void packDyT(float[] bp, int d, float[] dy, int dyOff, int k0, int nk, int P, int Q, int Wp, int[] idx) {
        int NR = Gemm.NR, PQ = P * Q;
        for (int p = 0; p < P; p++) {
            int o = d + p * Wp * NR, src = dyOff + k0 * PQ + p * Q;
            if (nk == NR) {
                Twins.gemmPackColumns(bp, o, dy, src, Q, idx);
            } else {
                for (int q = 0; q < Q; q++) {
                    for (int j = 0; j < NR; j++) bp[o + q * NR + j] = j < nk ? dy[src + j * PQ + q] : 0f;
                }
            }
            Arrays.fill(bp, o + Q * NR, o + Wp * NR, 0f);
        }
    }

    // Per sample: in_n (Ci, Hi, Wi) padded by (ph, pw) into a scratch plane set, the product
    // A · in_pad computed Wp wide, then its P×Q part stored to out_n (or added, accumulate).
    // Samples in parallel; each output element is one chain, so chunks never change a bit.
    // Each tile goes from the micro-kernel through an L1-sized buffer straight into out, its
    // extra columns compressed away (storeCompressed): the stores drain while the next tile
    // computes, where a compaction pass after the product stalled on them (docs/performance.md).
    private static void run(float[] out, boolean accumulate, float[] in, int N, int Ci, int Hi, int Wi, int ph, int pw,
                            Panels a, int R, int S) {
        int Hp = Hi + 2 * ph, Wp = Wi + pw, plane = Hp * Wp, P = Hp - R + 1, Q = Wi + 2 * pw - S + 1;
        int Co = a.rows, depth = a.depth, nOut = P * Wp, NR = Gemm.NR, tiles = Math.ceilDiv(nOut, NR);
        int padLen = Ci * plane + tiles * NR - nOut + S;   // the last tile reads up to here
        int[] off = new int[depth];
        for (int j = 0; j < depth; j++) off[j] = j / (R * S) * plane + j / S % R * Wp + j % S;
        int inLen = Ci * Hi * Wi, outLen = Co * P * Q;
        // per half tile (L lanes from position o = (2t + h)·L): which lanes hold output positions
        // (o + i < nOut, column (o + i) mod Wp < Q), and where in the P×Q plane the first of them goes
        int L = NR / 2;
        long[] keep = new long[2 * tiles];
        int[] first = new int[2 * tiles];
        for (int i = 0; i < 2 * tiles; i++) {
            int o = i * L;
            for (int l = 0; l < L; l++) if (o + l < nOut && (o + l) % Wp < Q) keep[i] |= 1L << l;
            first[i] = o / Wp * Q + Math.min(o % Wp, Q);
        }
        Parallel.forRange(N, Math.ceilDiv(N, 32), (lo, hi) -> {
            float[] xp = Scratch.take(padLen), tile = Scratch.take(PR * NR);
            Arrays.fill(xp, 0, padLen, 0f);
            for (int n = lo; n < hi; n++) {
                for (int c = 0; c < Ci; c++) {
                    for (int h = 0; h < Hi; h++) System.arraycopy(in, n * inLen + (c * Hi + h) * Wi, xp, c * plane + (h + ph) * Wp + pw, Wi);
                }
                for (int t = 0; t < tiles; t++) a.multiplyInto(out, n * outLen, P * Q, accumulate, xp, off, t, tile, keep, first);
            }
            Scratch.give(tile);
            Scratch.give(xp);
        });
    }

    interface Entry { float at(int r, int j); }

    // A (rows, depth), A[r, j] = a.at(r, j), packed in panels cut as Gemm.panelRow cuts them
    // (12 rows with the vector set; a last 8 runs on gemmMicroOff's 8-row form, 12·q + 4 rows end
    // in two panels of 8): panel q holds rows [start(q), start(q+1)), element (r, j) at
    // (q·depth + j)·PR + r − start(q), the rows past the panel zero.
    static final class Panels {
        final int rows, depth, count;
        final float[] data;

        Panels(int rows, int depth, Entry a) {
            this.rows = rows;
            this.depth = depth;
            count = Math.ceilDiv(rows, PR);
            data = new float[count * PR * depth];
            for (int q = 0; q < count; q++) {
                for (int r = start(q); r < start(q + 1); r++) {
                    for (int j = 0; j < depth; j++) data[(q * depth + j) * PR + r - start(q)] = a.at(r, j);
                }
            }
        }

        // first row of panel q (q = count: rows)
        int start(int q) { return Gemm.panelRow(rows, q); }

        // Tile t of the Wp-wide product (columns t·NR ..), panel by panel into tile (PR × NR), then
        // row r stored (or added, acc) to out[o + r·ld ..] through the half tiles' keep masks and
        // first positions (storeCompressed).
        void multiplyInto(float[] out, int o, int ld, boolean acc, float[] b, int[] off, int t, float[] tile, long[] keep, int[] first) {
            int NR = Gemm.NR, j0 = t * NR;
            for (int q = 0; q < count; q++) {
                int r0 = start(q), mi = start(q + 1) - r0, ao = q * PR * depth;
                Twins.gemmMicroOff(mi == 8 ? 8 : PR, tile, 0, NR, data, ao, b, j0, off, 0, depth, false);   // rows past mi: zero rows of A
                Twins.storeCompressed(out, o + r0 * ld, ld, tile, mi, keep[2 * t], keep[2 * t + 1], first[2 * t], first[2 * t + 1], acc);
            }
        }
    }
}
