package dev.tauon.kernel;

import java.util.Arrays;

// The lowering of a convolution to a product and back: im2col writes the (C·R·S, P·Q) matrix
// of a sample's taps (zero in the padding), col2im adds such a matrix back into dx, taps in
// (c,r,s) order. At stride 1 with Q = W whole rows move as shifted planes. Conv drives both.
final class Im2col {
    private Im2col() {}

    // x_n: (C,H,W) -> rows [r0, r1) of col: (C·R·S, P·Q), written at col[cOff + row·rs + pq·ps]
    // (ps = 1: column layout; rs = 1: its transpose). col[(c,r,s),(p,q)] = x[c, p·stride+r-pad,
    // q·stride+s-pad], or 0 where that falls in the padding.
    static void im2col(float[] col, int cOff, int rs, int ps, float[] x, int xOff, int r0, int r1,
                       int C, int H, int W, int R, int S, int P, int Q, int stride, int pad) {
        for (int row = r0; row < r1; row++) {
            int c = row / (R * S), r = row / S % R, s = row % S;
            int o = cOff + (row - r0) * rs;
            if (ps == 1 && stride == 1 && Q == W) {
                im2colShifted(col, o, x, xOff + c * H * W, H, W, P, r - pad, s - pad);
                continue;
            }
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

    // col: (C·R·S, P·Q) at col[cOff + row·rs + pq] -> dx_n: (C,H,W), accumulated: the adjoint of
    // im2col. Rows are added in (c,r,s) order, so each dx element receives its taps in (r,s) order.
    // At stride 1 with Q = W, col's taps in the w padding are overwritten with 0 (col2imShifted).
    static void col2im(float[] dx, int dxOff, float[] col, int cOff, int rs,
                       int C, int H, int W, int R, int S, int P, int Q, int stride, int pad) {
        for (int row = 0, CRS = C * R * S; row < CRS; row++) {
            int c = row / (R * S), r = row / S % R, s = row % S;
            if (stride == 1 && Q == W) {
                col2imShifted(dx, dxOff + c * H * W, col, cOff + row * rs, H, W, P, r - pad, s - pad);
                continue;
            }
            int qLo = Math.clamp(Math.ceilDiv(pad - s, stride), 0, Q);
            int qHi = Math.clamp(Math.floorDiv(W - 1 + pad - s, stride) + 1, qLo, Q);
            for (int p = 0; p < P; p++) {
                int h = p * stride + r - pad;
                if (h < 0 || h >= H) continue;
                int xh = dxOff + (c * H + h) * W + s - pad, op = cOff + row * rs + p * Q;
                for (int q = qLo; q < qHi; q++) dx[xh + q * stride] += col[op + q];
            }
        }
    }

    // Stride 1 with Q = W (padding (S-1)/2 along w): row (c,r,s) of col, (P, W), is the plane
    // x_c shifted by (dr, ds) = (r-pad, s-pad), so whole runs of rows move in one copy; the taps
    // that land in the w padding are zeroed after it, the rows in the h padding before.
    static void im2colShifted(float[] col, int o, float[] x, int xc, int H, int W, int P, int dr, int ds) {
        int pLo = Math.clamp(-dr, 0, P), pHi = Math.clamp(H - dr, pLo, P);
        int t0 = pLo * W + Math.max(0, -ds), t1 = pHi * W - Math.max(0, ds);
        Arrays.fill(col, o, o + pLo * W, 0f);
        if (t1 > t0) System.arraycopy(x, xc + dr * W + ds + t0, col, o + t0, t1 - t0);
        zeroEdges(col, o + pLo * W, o + pHi * W, W, ds);
        Arrays.fill(col, o + pHi * W, o + P * W, 0f);
    }

    // In the rows of W floats at col[from, to), the first -ds (ds < 0) or last ds (ds > 0) set to
    // 0: the taps of a shifted plane that fall in the w padding. Column by column, so each loop
    // runs over the P rows (one or two tiny loops per row cost as much as the row's copy).
    static void zeroEdges(float[] col, int from, int to, int W, int ds) {
        if (ds == 0) return;
        int qLo = ds < 0 ? 0 : Math.max(0, W - ds), qHi = ds < 0 ? Math.min(-ds, W) : W;
        for (int q = qLo; q < qHi; q++) {
            for (int op = from + q; op < to; op += W) col[op] = 0f;
        }
    }

    // The adjoint of im2colShifted: the row's w-padding taps are zeroed in col, then the rows
    // with an x row are added in one run. The zeros change no bit: col comes from a GEMM with
    // beta = 0, whose chains start at +0 and so are never -0, and every dx element that such
    // a +0 reaches also gets a real tap; a dx element is -0 only before its first tap, and
    // -0 + c = +0 + c for every c that is not -0.
    static void col2imShifted(float[] dx, int xc, float[] col, int o, int H, int W, int P, int dr, int ds) {
        int pLo = Math.clamp(-dr, 0, P), pHi = Math.clamp(H - dr, pLo, P);
        int t0 = pLo * W + Math.max(0, -ds), t1 = pHi * W - Math.max(0, ds);
        zeroEdges(col, o + pLo * W, o + pHi * W, W, ds);
        if (t1 <= t0) return;
        int d = xc + dr * W + ds + t0;
        Twins.add(dx, d, dx, d, col, o + t0, t1 - t0);
    }
}
