package dev.tauon.kernel;

// The readable twins of VectorPool: one output row of a 2×2, stride-2 max pooling, each window
// scanned by Pool.argmax (row-major; a later value wins only if strictly greater, or if it is
// NaN and the best so far is not). Pool runs other window sizes with Pool.argmax directly.
final class ScalarPool {
    private ScalarPool() {}

    // y[yo .. yo+Q) = the maxima of the windows whose top rows start at x[top] and x[top + W]
    static void maxPool2Row(float[] y, int yo, float[] x, int top, int W, int Q) {
        for (int q = 0; q < Q; q++) y[yo + q] = x[Pool.argmax(x, top + 2 * q, W, 2)];
    }

    // maxPool2Row's maxima in y[yo .. yo+Q), and each window's winner, 0..3 in row-major window
    // order, in win[wo .. wo+Q) (Pool.maxPlaneArgmax's codes)
    static void maxPool2RowArgmax(float[] y, int yo, float[] win, int wo, float[] x, int top, int W, int Q) {
        for (int q = 0; q < Q; q++) {
            int first = top + 2 * q, a = Pool.argmax(x, first, W, 2) - first;
            y[yo + q] = x[first + a];
            win[wo + q] = a / W * 2 + a % W;
        }
    }

    // The backward of maxPool2RowArgmax: the two rows of windows at dx[dxTop ..] (laid out like
    // x) get 0 + dy at each window's winner and 0 elsewhere (what accumulating into zeros gives)
    static void maxPool2RowScatter(float[] dx, int dxTop, float[] dy, int yo, float[] win, int wo, int W, int Q) {
        for (int q = 0; q < Q; q++) {
            int first = dxTop + 2 * q, code = (int) win[wo + q];
            dx[first] = 0f; dx[first + 1] = 0f; dx[first + W] = 0f; dx[first + W + 1] = 0f;
            dx[first + code / 2 * W + code % 2] = 0f + dy[yo + q];
        }
    }
}
