package dev.tauon.kernel;

// Pooling over NCHW arrays: max pooling (square window, stride, no padding), whose backward
// recomputes each window's argmax from the input (no index array is kept between passes; where
// the windows tile the input, a plane's argmaxes go through maxPlaneArgmax's codes, which the
// fused batch norm keeps from its forward), and global average pooling (N,C,H,W) -> (N,C).
// Work splits over (n,c) planes; a plane's outputs and argmaxes stay inside that plane.
public final class Pool {
    private Pool() {}

    // x: (N,C,H,W) -> y: (N,C,P,Q), P = (H-k)/stride+1, Q = (W-k)/stride+1; y = x[argmax(window)]
    public static void maxForward(float[] y, float[] x, int N, int C, int H, int W, int k, int stride) {
        int HW = H * W, PQ = outSize(H, k, stride) * outSize(W, k, stride);
        Parallel.forRange(N * C, planes(HW), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) maxPlane(y, plane * PQ, x, plane * HW, H, W, k, stride);
        });
    }

    // dy: (N,C,P,Q), x: (N,C,H,W) -> dx: (N,C,H,W)
    // dX[argmax(window)] += dY, the argmax recomputed from x. acc = false: dx holds garbage and is
    // assigned what accumulating into zeros would give (where the windows tile x, plane by plane
    // through the argmax codes: 0 + dY at the argmax, 0 elsewhere).
    public static void maxBackward(float[] dx, float[] dy, float[] x, int N, int C, int H, int W, int k, int stride, boolean acc) {
        int HW = H * W, PQ = outSize(H, k, stride) * outSize(W, k, stride);
        if (!acc && tiles(H, W, k, stride)) {
            Parallel.forRange(N * C, planes(HW), (lo, hi) -> {
                float[] max = new float[PQ], codes = new float[PQ];
                for (int plane = lo; plane < hi; plane++) {
                    maxPlaneArgmax(max, 0, codes, 0, x, plane * HW, H, W, k);
                    maxPlaneScatter(dx, plane * HW, dy, plane * PQ, codes, 0, H, W, k);
                }
            });
            return;
        }
        if (!acc) Kernels.fill(dx, 0, N * C * HW, 0f);
        Parallel.forRange(N * C, planes(HW), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) maxPlaneBackward(dx, plane * HW, dy, plane * PQ, x, plane * HW, H, W, k, stride);
        });
    }

    public static int outSize(int in, int k, int stride) { return (in - k) / stride + 1; }

    // whether the windows cover every x element exactly once
    public static boolean tiles(int H, int W, int k, int stride) { return k == stride && H % k == 0 && W % k == 0; }

    // One plane: x[xo ..] (H,W) -> y[yo ..] (P,Q)
    static void maxPlane(float[] y, int yo, float[] x, int xo, int H, int W, int k, int stride) {
        int P = outSize(H, k, stride), Q = outSize(W, k, stride);
        boolean two = k == 2 && stride == 2;
        for (int p = 0; p < P; p++) {
            int row = xo + p * stride * W;
            if (two) Twins.maxPool2Row(y, yo + p * Q, x, row, W, Q);
            else for (int q = 0; q < Q; q++) y[yo + p * Q + q] = x[argmax(x, row + q * stride, W, k)];
        }
    }

    // One plane's backward, dy[yo ..] (P,Q) -> dx[dxo ..] (H,W): dy added at each window's
    // argmax, taken in x[xo ..]
    static void maxPlaneBackward(float[] dx, int dxo, float[] dy, int yo, float[] x, int xo, int H, int W, int k, int stride) {
        int P = outSize(H, k, stride), Q = outSize(W, k, stride);
        for (int p = 0; p < P; p++) {
            for (int q = 0; q < Q; q++) dx[argmax(x, xo + p * stride * W + q * stride, W, k) - xo + dxo] += dy[yo + p * Q + q];
        }
    }

    // One plane of a k×k, stride-k pooling that tiles x (H, W multiples of k): y[yo ..] (H/k, W/k)
    // = the windows' maxima as maxPlane gives them, and codes[co ..] their argmaxes as positions
    // in the window, i·k + j, for maxPlaneScatter: the backward then needs neither x nor a search.
    static void maxPlaneArgmax(float[] y, int yo, float[] codes, int co, float[] x, int xo, int H, int W, int k) {
        int P = H / k, Q = W / k;
        for (int p = 0; p < P; p++) {
            int row = xo + p * k * W, o = p * Q;
            if (k == 2) {
                Twins.maxPool2RowArgmax(y, yo + o, codes, co + o, x, row, W, Q);
                continue;
            }
            for (int q = 0; q < Q; q++) {
                int first = row + q * k, a = argmax(x, first, W, k) - first;
                y[yo + o + q] = x[first + a];
                codes[co + o + q] = a / W * k + a % W;
            }
        }
    }

    // The backward of maxPlaneArgmax: dx[dxo ..] (H, W) = 0 + dy at each window's argmax (codes
    // as maxPlaneArgmax stored them), 0 elsewhere: maxPlaneBackward into zeros, in one pass
    static void maxPlaneScatter(float[] dx, int dxo, float[] dy, int yo, float[] codes, int co, int H, int W, int k) {
        int P = H / k, Q = W / k;
        for (int p = 0; p < P; p++) {
            int row = dxo + p * k * W, o = p * Q;
            if (k == 2) {
                Twins.maxPool2RowScatter(dx, row, dy, yo + o, codes, co + o, W, Q);
                continue;
            }
            for (int q = 0; q < Q; q++) {
                int first = row + q * k, code = (int) codes[co + o + q];
                for (int i = 0; i < k; i++) java.util.Arrays.fill(dx, first + i * W, first + i * W + k, 0f);
                dx[first + code / k * W + code % k] = 0f + dy[yo + o + q];
            }
        }
    }

    // The flat index of the maximum of the k×k window of x whose top-left is `first` (row stride
    // W): ties go to the first maximum in row-major window order; the first NaN wins, as in PyTorch.
    static int argmax(float[] x, int first, int W, int k) {
        if (k == 2) {   // the common window, unrolled: the same comparisons in the same order
            int best = first;
            best = better(x, first + 1, best);
            best = better(x, first + W, best);
            return better(x, first + W + 1, best);
        }
        int best = first;
        for (int i = 0; i < k; i++) {
            for (int j = 0, row = first + i * W; j < k; j++) best = better(x, row + j, best);
        }
        return best;
    }

    private static int better(float[] x, int i, int best) {
        float v = x[i], max = x[best];
        return v > max || (v != v && max == max) ? i : best;
    }

    // x: (N,C,H,W) -> y: (N,C); y = Kernels.sum(plane) / (H·W)
    public static void globalAvgForward(float[] y, float[] x, int N, int C, int H, int W) {
        int HW = H * W;
        Parallel.forRange(N * C, planes(HW), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) y[plane] = Kernels.sum(x, plane * HW, HW) / HW;
        });
    }

    // dy: (N,C) -> dx: (N,C,H,W)
    // dX[n,c,h,w] += dY[n,c] / (H·W); acc = false: assigned 0 + dY[n,c] / (H·W)
    public static void globalAvgBackward(float[] dx, float[] dy, int N, int C, int H, int W, boolean acc) {
        int HW = H * W;
        Parallel.forRange(N * C, planes(HW), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                float g = dy[plane] / HW;
                for (int i = plane * HW, end = i + HW; i < end; i++) dx[i] = (acc ? dx[i] : 0f) + g;
            }
        });
    }

    private static int planes(int planeSize) { return Kernels.grain(planeSize); }
}
