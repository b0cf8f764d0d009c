package dev.tauon.kernel;

// Pooling over NCHW arrays: max pooling (square window, stride, no padding) that records the
// argmax of each window for its backward, and global average pooling (N,C,H,W) -> (N,C).
// Work splits over (n,c) planes; a plane's outputs and argmaxes stay inside that plane.
public final class Pool {
    private Pool() {}

    // x: (N,C,H,W) -> y, argmax: (N,C,P,Q), P = (H-k)/stride+1, Q = (W-k)/stride+1.
    // argmax holds the flat index into x of the window's maximum; ties go to the first maximum
    // in row-major window order; a NaN propagates (the first NaN of the window wins), as in PyTorch.
    public static void maxForward(float[] y, int[] argmax, float[] x, int N, int C, int H, int W, int k, int stride) {
        int P = (H - k) / stride + 1, Q = (W - k) / stride + 1, HW = H * W, PQ = P * Q;
        Parallel.forRange(N * C, planes(HW), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xo = plane * HW, yo = plane * PQ;
                for (int p = 0; p < P; p++) {
                    for (int q = 0; q < Q; q++) {
                        int first = xo + p * stride * W + q * stride, best = first;
                        float max = x[first];
                        for (int i = 0; i < k; i++) {
                            for (int j = 0, row = first + i * W; j < k; j++) {
                                float v = x[row + j];
                                if (v > max || (v != v && max == max)) {
                                    max = v;
                                    best = row + j;
                                }
                            }
                        }
                        y[yo + p * Q + q] = max;
                        argmax[yo + p * Q + q] = best;
                    }
                }
            }
        });
    }

    // dy, argmax: (N,C,P,Q) -> dx: (N,C,H,W), accumulated
    // dX[argmax[i]] += dY[i]
    public static void maxBackward(float[] dx, float[] dy, int[] argmax, int N, int C, int P, int Q) {
        int PQ = P * Q;
        Parallel.forRange(N * C, planes(PQ), (lo, hi) -> {
            for (int i = lo * PQ, end = hi * PQ; i < end; i++) dx[argmax[i]] += dy[i];
        });
    }

    // x: (N,C,H,W) -> y: (N,C); y = Kernels.sum(plane) / (H·W)
    public static void globalAvgForward(float[] y, float[] x, int N, int C, int H, int W) {
        int HW = H * W;
        Parallel.forRange(N * C, planes(HW), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) y[plane] = Kernels.sum(x, plane * HW, HW) / HW;
        });
    }

    // dy: (N,C) -> dx: (N,C,H,W), accumulated
    // dX[n,c,h,w] += dY[n,c] / (H·W)
    public static void globalAvgBackward(float[] dx, float[] dy, int N, int C, int H, int W) {
        int HW = H * W;
        Parallel.forRange(N * C, planes(HW), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                float g = dy[plane] / HW;
                for (int i = plane * HW, end = i + HW; i < end; i++) dx[i] += g;
            }
        });
    }

    // planes per parallel chunk: about Kernels.GRAIN elements, fixed by the shape
    private static int planes(int planeSize) {
        return Math.max(1, Kernels.GRAIN / Math.max(1, planeSize));
    }
}
