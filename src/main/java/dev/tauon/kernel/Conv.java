package dev.tauon.kernel;

import java.util.Arrays;

// 2-D convolution over NCHW arrays (any R×S, stride, zero padding; no groups or dilation),
// lowered to Kernels.gemm through im2col: y_n = W · col(x_n) with col: (C·R·S, P·Q). Measured
// against a direct kernel of fma rows (ConvTiming, N=512, 2 shared cores, first-cut GEMM): direct
// was 1.6–3.4× slower at 28×28 and 14×14 with C >= 32, ~10% faster at 7×7, level at C = 1; im2col
// is ~5% of a layer and the packed GEMM lifts every conv. Both give the same bits: one fma chain
// over (c,r,s) per output.
public final class Conv {
    static final int SAMPLES = 4;    // samples per parallel chunk in forward and backwardData
    static final int COLS = 32;      // dW columns (c,r,s) per parallel chunk in backwardWeight

    private Conv() {}

    public static int outSize(int in, int kernel, int stride, int pad) {
        return (in + 2 * pad - kernel) / stride + 1;
    }

    // x: (N,C,H,W), w: (K,C,R,S) -> y: (N,K,P,Q); y[n,k,p,q] = fma chain over (c,r,s) in order
    public static void forward(float[] y, float[] x, float[] w,
                               int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        int P = outSize(H, R, stride, pad), Q = outSize(W, S, stride, pad);
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W;
        boolean identity = R == 1 && S == 1 && stride == 1 && pad == 0;   // col(x_n) is x_n itself
        Parallel.forRange(N, SAMPLES, (lo, hi) -> {
            float[] col = identity ? null : Scratch.take(CRS * PQ);
            for (int n = lo; n < hi; n++) {
                if (identity) {
                    Kernels.gemm(y, n * K * PQ, PQ, w, 0, CRS, false, x, n * CHW, PQ, false, K, PQ, CRS, 1f, 0f);
                } else {
                    im2col(col, 0, PQ, 1, x, n * CHW, 0, CRS, C, H, W, R, S, P, Q, stride, pad);
                    Kernels.gemm(y, n * K * PQ, PQ, w, 0, CRS, false, col, 0, PQ, false, K, PQ, CRS, 1f, 0f);
                }
            }
            if (col != null) Scratch.give(col);
        });
    }

    // dy: (N,K,P,Q), w: (K,C,R,S) -> dx: (N,C,H,W), accumulated
    // dX_n += col2im(Wᵀ · dY_n)
    public static void backwardData(float[] dx, float[] dy, float[] w,
                                    int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        int P = outSize(H, R, stride, pad), Q = outSize(W, S, stride, pad);
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W;
        Parallel.forRange(N, SAMPLES, (lo, hi) -> {
            float[] col = Scratch.take(CRS * PQ);
            for (int n = lo; n < hi; n++) {
                Kernels.gemm(col, 0, PQ, w, 0, CRS, true, dy, n * K * PQ, PQ, false, CRS, PQ, K, 1f, 0f);
                col2im(dx, n * CHW, col, C, H, W, R, S, P, Q, stride, pad);
            }
            Scratch.give(col);
        });
    }

    // x: (N,C,H,W), dy: (N,K,P,Q) -> dw: (K,C,R,S), accumulated
    // dW += Σ_n dY_n · col(x_n)ᵀ. Canonical order: each dW[k,(c,r,s)] continues one fma chain
    // from its incoming value over n = 0..N-1, then (p,q) in row-major order. Chunks split the
    // (c,r,s) columns, so every chunk owns its outputs and walks the whole batch in order.
    public static void backwardWeight(float[] dw, float[] x, float[] dy,
                                      int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        int P = outSize(H, R, stride, pad), Q = outSize(W, S, stride, pad);
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W;
        Parallel.forRange(CRS, COLS, (lo, hi) -> {
            int J = hi - lo;
            float[] rows = Scratch.take(PQ * J);   // col(x_n)ᵀ restricted to columns lo..hi: (P·Q, J)
            for (int n = 0; n < N; n++) {
                im2col(rows, 0, 1, J, x, n * CHW, lo, hi, C, H, W, R, S, P, Q, stride, pad);
                Kernels.gemm(dw, lo, CRS, dy, n * K * PQ, PQ, false, rows, 0, J, false, K, J, PQ, 1f, 1f);
            }
            Scratch.give(rows);
        });
    }

    // y: (N,K,P,Q) += b: (K) broadcast
    public static void biasForward(float[] y, float[] b, int N, int K, int P, int Q) {
        int PQ = P * Q;
        Parallel.forRange(N * K, Math.max(1, Kernels.GRAIN / Math.max(1, PQ)), (lo, hi) -> {
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

    // x_n: (C,H,W) -> rows [r0, r1) of col: (C·R·S, P·Q), written at col[cOff + row·rs + pq·ps]
    // (ps = 1: column layout; rs = 1: its transpose). col[(c,r,s),(p,q)] = x[c, p·stride+r-pad,
    // q·stride+s-pad], or 0 where that falls in the padding.
    static void im2col(float[] col, int cOff, int rs, int ps, float[] x, int xOff, int r0, int r1,
                       int C, int H, int W, int R, int S, int P, int Q, int stride, int pad) {
        for (int row = r0; row < r1; row++) {
            int c = row / (R * S), r = row / S % R, s = row % S;
            int o = cOff + (row - r0) * rs;
            int qLo = Math.clamp(Math.ceilDiv(pad - s, stride), 0, Q);
            int qHi = Math.clamp(Math.floorDiv(W - 1 + pad - s, stride) + 1, qLo, Q);
            for (int p = 0; p < P; p++) {
                int h = p * stride + r - pad, op = o + p * Q * ps;
                if (h < 0 || h >= H) {
                    for (int q = 0; q < Q; q++) col[op + q * ps] = 0f;
                    continue;
                }
                int xh = xOff + (c * H + h) * W + s - pad;   // x[c, h, q·stride + s - pad] = x[xh + q·stride]
                if (ps == 1 && stride == 1) {
                    Arrays.fill(col, op, op + qLo, 0f);
                    System.arraycopy(x, xh + qLo, col, op + qLo, qHi - qLo);
                    Arrays.fill(col, op + qHi, op + Q, 0f);
                } else {
                    for (int q = 0; q < qLo; q++) col[op + q * ps] = 0f;
                    for (int q = qLo; q < qHi; q++) col[op + q * ps] = x[xh + q * stride];
                    for (int q = qHi; q < Q; q++) col[op + q * ps] = 0f;
                }
            }
        }
    }

    // col: (C·R·S, P·Q) -> dx_n: (C,H,W), accumulated: the adjoint of im2col. Rows are added in
    // (c,r,s) order, so each dx element receives its taps in (r,s) order.
    static void col2im(float[] dx, int dxOff, float[] col, int C, int H, int W, int R, int S, int P, int Q, int stride, int pad) {
        for (int row = 0, CRS = C * R * S; row < CRS; row++) {
            int c = row / (R * S), r = row / S % R, s = row % S;
            int qLo = Math.clamp(Math.ceilDiv(pad - s, stride), 0, Q);
            int qHi = Math.clamp(Math.floorDiv(W - 1 + pad - s, stride) + 1, qLo, Q);
            for (int p = 0; p < P; p++) {
                int h = p * stride + r - pad;
                if (h < 0 || h >= H) continue;
                int xh = dxOff + (c * H + h) * W + s - pad, op = (row * P + p) * Q;
                for (int q = qLo; q < qHi; q++) dx[xh + q * stride] += col[op + q];
            }
        }
    }
}
