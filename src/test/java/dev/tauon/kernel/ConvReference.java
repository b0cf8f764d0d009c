package dev.tauon.kernel;

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
                Conv.im2col(col, 0, PQ, 1, x, n * CHW, 0, CRS, C, H, W, R, S, P, Q, stride, pad);
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
                Conv.col2im(dx, n * CHW, col, 0, PQ, C, H, W, R, S, P, Q, stride, pad);
            }
        });
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
                Conv.im2col(rows, 0, 1, J, x, n * CHW, lo, hi, C, H, W, R, S, P, Q, stride, pad);
                Kernels.gemm(dw, lo, CRS, dy, n * K * PQ, PQ, false, rows, 0, J, false, K, J, PQ, 1f, 1f);
            }
        });
    }
}
