package dev.tauon.kernel;

// Batch normalisation with per-channel statistics over (N,C,H,W) arrays; (N,C) is H = W = 1.
// Canonical order of every per-channel sum (mean, variance, dγ, dβ): each (n,c) plane is reduced
// in CANON order (Kernels.sum, ScalarKernels.dot and the plane kernels beside them), and the N
// plane results are added in n order in double. Channels are independent, so the split over
// channels never changes a bit. x̂ is not stored: backward recomputes it from x, μ and 1/σ.
public final class Norm {
    private Norm() {}

    // x: (N,C,H,W), gamma, beta: (C) -> y: (N,C,H,W); mean, invStd: (C) (saved for backward);
    // runMean, runVar: (C) updated in place. M = N·H·W values per channel:
    // mean = Σx/M, var = Σ(x-mean)²/M (biased, two passes), invStd = 1/√(var+eps),
    // y = fma(γ, (x-mean)·invStd, β), then max(y, 0) when relu (a fused ReLU);
    // running = (1-momentum)·running + momentum·batch, with the unbiased var·M/(M-1) for runVar.
    public static void trainForward(float[] y, float[] mean, float[] invStd, float[] runMean, float[] runVar,
                                    float[] x, float[] gamma, float[] beta,
                                    int N, int C, int H, int W, float momentum, float eps) {
        trainForward(y, mean, invStd, runMean, runVar, x, gamma, beta, N, C, H, W, momentum, eps, false);
    }

    public static void trainForward(float[] y, float[] mean, float[] invStd, float[] runMean, float[] runVar,
                                    float[] x, float[] gamma, float[] beta,
                                    int N, int C, int H, int W, float momentum, float eps, boolean relu) {
        int HW = H * W;
        long M = (long) N * HW;
        if (M < 2) throw new IllegalArgumentException("batch norm: training needs more than one value per channel, got N=" + N + " H=" + H + " W=" + W);
        boolean v = Kernels.V;
        Parallel.forRange(C, channels(N * HW), (lo, hi) -> {
            float[] part = new float[N];
            for (int c = lo; c < hi; c++) {
                double s = 0;
                for (int n = 0; n < N; n++) s += Kernels.sum(x, (n * C + c) * HW, HW);
                float mu = (float) (s / M);
                for (int n = N - 1; n >= 0; n--) {   // backwards: the planes the last pass left in cache first
                    int o = (n * C + c) * HW;
                    part[n] = v ? VectorKernelsNorm.sumSquaredDeviation(x, o, HW, mu) : ScalarKernels.sumSquaredDeviation(x, o, HW, mu);
                }
                double ss = 0;
                for (int n = 0; n < N; n++) ss += part[n];
                double var = ss / M;
                float is = (float) (1 / Math.sqrt(var + eps)), g = gamma[c], b = beta[c];
                for (int n = 0; n < N; n++) {
                    int o = (n * C + c) * HW;
                    if (v) VectorKernelsNorm.normalize(y, x, o, HW, mu, is, g, b, relu);
                    else ScalarKernels.normalize(y, x, o, HW, mu, is, g, b, relu);
                }
                mean[c] = mu;
                invStd[c] = is;
                runMean[c] = (float) ((1 - (double) momentum) * runMean[c] + momentum * (double) mu);
                runVar[c] = (float) ((1 - (double) momentum) * runVar[c] + momentum * (var * M / (M - 1)));
            }
        });
    }

    // x: (N,C,H,W), gamma, beta, runMean, runVar: (C) -> y: (N,C,H,W)
    // y = fma(x - runMean, γ/√(runVar+eps), β)
    public static void evalForward(float[] y, float[] x, float[] gamma, float[] beta, float[] runMean, float[] runVar,
                                   int N, int C, int H, int W, float eps) {
        int HW = H * W;
        Parallel.forRange(N * C, Kernels.grain(HW), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int c = plane % C;
                float mu = runMean[c], scale = (float) (gamma[c] / Math.sqrt((double) runVar[c] + eps)), b = beta[c];
                for (int i = plane * HW, end = i + HW; i < end; i++) y[i] = Math.fma(x[i] - mu, scale, b);
            }
        });
    }

    // dy, x: (N,C,H,W), gamma, mean, invStd: (C) -> dx: (N,C,H,W), dgamma, dbeta: (C), accumulated
    // x̂ = (x−μ)·invStd;  dγ += Σ dy·x̂,  dβ += Σ dy,  dX += (γ·invStd)·(dy − mean(dy) − x̂·mean(dy·x̂))
    public static void backward(float[] dx, float[] dgamma, float[] dbeta,
                                float[] dy, float[] x, float[] gamma, float[] mean, float[] invStd,
                                int N, int C, int H, int W) {
        backward(dx, dgamma, dbeta, dy, x, gamma, null, mean, invStd, N, C, H, W, false, true);
    }

    // As above; with relu, dy is the gradient at the output of a fused ReLU (trainForward with
    // relu) and is first masked where fma(γ, x̂, β) > 0, exactly as Relu's backward would; with
    // acc = false dx is not read but assigned (the values accumulating into zeros would give).
    // beta is read only with relu.
    public static void backward(float[] dx, float[] dgamma, float[] dbeta,
                                float[] dy, float[] x, float[] gamma, float[] beta, float[] mean, float[] invStd,
                                int N, int C, int H, int W, boolean relu, boolean acc) {
        int HW = H * W;
        long M = (long) N * HW;
        boolean v = Kernels.V;
        Parallel.forRange(C, channels(N * HW), (lo, hi) -> {
            float[] two = new float[2];
            for (int c = lo; c < hi; c++) {
                float mu = mean[c], is = invStd[c], g = gamma[c], b = relu ? beta[c] : 0f;
                double sdy = 0, sdyx = 0;
                for (int n = 0; n < N; n++) {
                    int o = (n * C + c) * HW;
                    if (v) VectorKernelsNorm.sumAndDotXhat(two, dy, x, o, HW, mu, is, g, b, relu);
                    else ScalarKernels.sumAndDotXhat(two, dy, x, o, HW, mu, is, g, b, relu);
                    sdy += two[0];
                    sdyx += two[1];
                }
                dbeta[c] += (float) sdy;
                dgamma[c] += (float) sdyx;
                float mdy = (float) (sdy / M), mdyx = (float) (sdyx / M), k = g * is;
                for (int n = N - 1; n >= 0; n--) {   // backwards: the planes the sums left in cache first
                    int o = (n * C + c) * HW;
                    if (v) VectorKernelsNorm.backward(dx, dy, x, o, HW, mu, is, k, mdy, mdyx, g, b, relu, acc);
                    else ScalarKernels.normBackward(dx, dy, x, o, HW, mu, is, k, mdy, mdyx, g, b, relu, acc);
                }
            }
        });
    }

    private static int channels(int perChannel) { return Kernels.grain(perChannel); }
}
