package dev.tauon.kernel;

import java.util.Arrays;

// The per-sample im2col convolution that Conv replaced with grouped GEMMs, kept as the bitwise
// oracle for Conv's fast paths (ConvReferenceTest) and as the baseline in ConvTiming. One GEMM
// per sample (forward, backwardData) or per sample and 32-column chunk of dW (backwardWeight).
final class ConvReference {
    private ConvReference() {}

    // x: (N,C,H,W), w: (K,C,R,S) -> y: (N,K,P,Q); y_n = W · col(x_n)
    static void forward(float[] y, float[] x, float[] w,
                        int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        int P = Conv.outSize(H, R, stride, pad), Q = Conv.outSize(W, S, stride, pad);
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W;
        Parallel.forRange(N, 4, (lo, hi) -> {
            float[] col = new float[CRS * PQ];
            for (int n = lo; n < hi; n++) {
                im2col(col, 0, PQ, 1, x, n * CHW, 0, CRS, C, H, W, R, S, P, Q, stride, pad);
                Kernels.gemm(y, n * K * PQ, PQ, w, 0, CRS, false, col, 0, PQ, false, K, PQ, CRS, 1f, 0f);
            }
        });
    }

    // dy: (N,K,P,Q), w: (K,C,R,S) -> dx: (N,C,H,W), accumulated; dX_n += col2im(Wᵀ · dY_n)
    static void backwardData(float[] dx, float[] dy, float[] w,
                             int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        int P = Conv.outSize(H, R, stride, pad), Q = Conv.outSize(W, S, stride, pad);
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W;
        Parallel.forRange(N, 4, (lo, hi) -> {
            float[] col = new float[CRS * PQ];
            for (int n = lo; n < hi; n++) {
                Kernels.gemm(col, 0, PQ, w, 0, CRS, true, dy, n * K * PQ, PQ, false, CRS, PQ, K, 1f, 0f);
                col2im(dx, n * CHW, col, C, H, W, R, S, P, Q, stride, pad);
            }
        });
    }

    // The canonical order of Conv.backwardData where ConvDirect applies (stride 1), in plain
    // loops: dx[n,c,h,w] += one fma chain from +0 over (k, r', s') in row-major order of
    // w[k, c, R-1-r', S-1-s'] · dy[n, k, h+pad-(R-1-r'), w+pad-(S-1-s')], a tap outside dy being +0.
    static void backwardDataDirect(float[] dx, float[] dy, float[] w, int N, int C, int H, int W, int K, int R, int S, int pad) {
        int P = Conv.outSize(H, R, 1, pad), Q = Conv.outSize(W, S, 1, pad);
        for (int n = 0; n < N; n++) for (int c = 0; c < C; c++) for (int h = 0; h < H; h++) for (int v = 0; v < W; v++) {
            float acc = 0f;
            for (int k = 0; k < K; k++) for (int r = R - 1; r >= 0; r--) for (int s = S - 1; s >= 0; s--) {
                int p = h + pad - r, q = v + pad - s;
                float d = p >= 0 && p < P && q >= 0 && q < Q ? dy[((n * K + k) * P + p) * Q + q] : 0f;
                acc = Math.fma(w[((k * C + c) * R + r) * S + s], d, acc);
            }
            dx[((n * C + c) * H + h) * W + v] += acc;
        }
    }

    // x: (N,C,H,W), dy: (N,K,P,Q) -> dw: (K,C,R,S), accumulated; dW += Σ_n dY_n · col(x_n)ᵀ,
    // each chunk of 32 dW columns walking the whole batch in order
    static void backwardWeight(float[] dw, float[] x, float[] dy,
                               int N, int C, int H, int W, int K, int R, int S, int stride, int pad) {
        int P = Conv.outSize(H, R, stride, pad), Q = Conv.outSize(W, S, stride, pad);
        int CRS = C * R * S, PQ = P * Q, CHW = C * H * W;
        Parallel.forRange(CRS, 32, (lo, hi) -> {
            int J = hi - lo;
            float[] rows = new float[PQ * J];
            for (int n = 0; n < N; n++) {
                im2col(rows, 0, 1, J, x, n * CHW, lo, hi, C, H, W, R, S, P, Q, stride, pad);
                Kernels.gemm(dw, lo, CRS, dy, n * K * PQ, PQ, false, rows, 0, J, false, K, J, PQ, 1f, 1f);
            }
        });
    }

    // x_n: (C,H,W) -> rows [r0, r1) of col: (C·R·S, P·Q), written at col[cOff + row·rs + pq·ps]
    // (ps = 1: column layout; rs = 1: its transpose); 0 where a tap falls in the padding
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

    // col: (C·R·S, P·Q) -> dx_n: (C,H,W), accumulated; rows added in (c,r,s) order
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
