package dev.tauon.kernel;

// Batch normalisation with per-channel statistics over (N,C,H,W) arrays; (N,C) is H = W = 1.
// Canonical order of every per-channel sum (mean, variance, dγ, dβ): each (n,c) plane is reduced
// in CANON order (Kernels.sum, ScalarElementwise.dot and the plane kernels of Twins), and the N
// plane results are added in n order in double. Channels are independent, so the split over
// channels never changes a bit. x̂ is not stored: backward recomputes it from x, μ and 1/σ.
public final class Norm {
    private Norm() {}

    // What runs on the batch norm's output inside the same pass, so that output is never stored:
    // nothing (the plain batch norm, the oracle of the fused ones), a ReLU, or a ReLU then a k×k,
    // stride-k max-pool that tiles the plane; its codes, shaped like the pooled output, receive
    // each window's argmax in the forward (Pool.maxPlaneArgmax) and give it to the backward.
    public sealed interface Epilogue {
        Epilogue NONE = new None(), RELU = new Relu();

        record None() implements Epilogue {}

        record Relu() implements Epilogue {}

        record ReluMaxPool(int k, float[] codes) implements Epilogue {}
    }

    // x: (N,C,H,W), gamma, beta: (C) -> y: (N,C,H,W); mean, invStd: (C) (saved for backward);
    // runMean, runVar: (C) updated in place. M = N·H·W values per channel:
    // mean = Σx/M, var = Σ(x-mean)²/M (biased, two passes), invStd = 1/√(var+eps),
    // y = fma(γ, (x-mean)·invStd, β);
    // running = (1-momentum)·running + momentum·batch, with the unbiased var·M/(M-1) for runVar.
    public static void trainForward(float[] y, float[] mean, float[] invStd, float[] runMean, float[] runVar,
                                    float[] x, float[] gamma, float[] beta,
                                    int N, int C, int H, int W, float momentum, float eps) {
        trainForward(y, mean, invStd, runMean, runVar, x, gamma, beta, N, C, H, W, momentum, eps, Epilogue.NONE);
    }

    // As above, then the epilogue: y = relu(bn(x)), or maxpool_k(relu(bn(x))): (N,C,H/k,W/k) (each
    // plane's batch-norm output lives only in a plane-sized scratch; H and W multiples of k).
    public static void trainForward(float[] y, float[] mean, float[] invStd, float[] runMean, float[] runVar,
                                    float[] x, float[] gamma, float[] beta,
                                    int N, int C, int H, int W, float momentum, float eps, Epilogue after) {
        int HW = H * W;
        long M = (long) N * HW;
        if (M < 2) throw new IllegalArgumentException("batch norm: training needs more than one value per channel, got N=" + N + " H=" + H + " W=" + W);
        if (after instanceof Epilogue.ReluMaxPool(int k, var _) && !Pool.tiles(H, W, k, k)) {
            throw new IllegalArgumentException("batch norm: pool " + k + " does not tile " + H + "x" + W);
        }
        if (HW < smallPlane) {
            smallPlanesForward(y, mean, invStd, runMean, runVar, x, gamma, beta, N, C, H, W, momentum, eps, after);
            return;
        }
        Parallel.forRange(C, channels(N * HW), (lo, hi) -> {
            float[] part = new float[N];
            Planes planes = new Planes(H, W, after);
            for (int c = lo; c < hi; c++) {
                double s = 0;
                for (int n = 0; n < N; n++) s += Kernels.sum(x, (n * C + c) * HW, HW);
                float mu = (float) (s / M);
                for (int n = N - 1; n >= 0; n--) {   // backwards: the planes the last pass left in cache first
                    int o = (n * C + c) * HW;
                    part[n] = Twins.sumSquaredDeviation(x, o, HW, mu);
                }
                double ss = 0;
                for (int n = 0; n < N; n++) ss += part[n];
                double var = ss / M;
                float is = invStd(var, eps), g = gamma[c], b = beta[c];
                for (int n = 0; n < N; n++) planes.forward(y, n * C + c, x, mu, is, g, b);
                mean[c] = mu;
                invStd[c] = is;
                updateRunning(runMean, runVar, c, mu, var, M, momentum);
            }
        });
    }

    // Planes smaller than this are walked in memory order, (n, c), with per-plane partials
    // kept for the per-channel sums: walking a channel's planes alone strides C·H·W floats
    // between a few hundred bytes of data. Same sums in the same order, so the same bits
    // (NormTest sets it to 0 to compare the two walks).
    static int smallPlane = 256;

    private static void smallPlanesForward(float[] y, float[] mean, float[] invStd, float[] runMean, float[] runVar,
                                           float[] x, float[] gamma, float[] beta,
                                           int N, int C, int H, int W, float momentum, float eps, Epilogue after) {
        int HW = H * W;
        long M = (long) N * HW;
        float[] part = new float[N * C];
        Parallel.forRange(N * C, Kernels.grain(HW), (lo, hi) -> {
            for (int p = lo; p < hi; p++) part[p] = Kernels.sum(x, p * HW, HW);
        });
        for (int c = 0; c < C; c++) mean[c] = (float) (sumOverN(part, c, N, C) / M);
        Parallel.forRange(N * C, Kernels.grain(HW), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                float mu = mean[p % C];
                part[p] = Twins.sumSquaredDeviation(x, p * HW, HW, mu);
            }
        });
        for (int c = 0; c < C; c++) {
            double var = sumOverN(part, c, N, C) / M;
            invStd[c] = invStd(var, eps);
            updateRunning(runMean, runVar, c, mean[c], var, M, momentum);
        }
        Parallel.forRange(N * C, Kernels.grain(HW), (lo, hi) -> {
            Planes planes = new Planes(H, W, after);
            for (int p = lo; p < hi; p++) {
                int c = p % C;
                planes.forward(y, p, x, mean[c], invStd[c], gamma[c], beta[c]);
            }
        });
    }

    // Σ_n part[n·C + c] in n order, in double: how every per-channel sum adds its plane partials
    private static double sumOverN(float[] part, int c, int N, int C) {
        double s = 0;
        for (int n = 0; n < N; n++) s += part[n * C + c];
        return s;
    }

    private static float invStd(double var, float eps) { return (float) (1 / Math.sqrt(var + eps)); }

    private static void updateRunning(float[] runMean, float[] runVar, int c, float mu, double var, long M, float momentum) {
        runMean[c] = (float) ((1 - (double) momentum) * runMean[c] + momentum * (double) mu);
        runVar[c] = (float) ((1 - (double) momentum) * runVar[c] + momentum * (var * M / (M - 1)));
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
        backward(dx, dgamma, dbeta, dy, x, gamma, null, mean, invStd, N, C, H, W, Epilogue.NONE, true);
    }

    // The backward of trainForward with an epilogue: dy is the gradient at the epilogue's output.
    // With a max-pool, (N,C,H/k,W/k): each plane's gradient at the ReLU's output is rebuilt in a
    // scratch plane (0 + dy at each window's argmax from the codes, 0 elsewhere, as
    // Pool.maxBackward assigns it). With a ReLU, that gradient is masked where fma(γ, x̂, β) > 0,
    // exactly as Relu's backward would (beta is read only then). Then as above; with acc = false
    // dx is not read but assigned (the values accumulating into zeros would give).
    public static void backward(float[] dx, float[] dgamma, float[] dbeta,
                                float[] dy, float[] x, float[] gamma, float[] beta, float[] mean, float[] invStd,
                                int N, int C, int H, int W, Epilogue after, boolean acc) {
        int HW = H * W;
        long M = (long) N * HW;
        if (HW < smallPlane) {
            smallPlanesBackward(dx, dgamma, dbeta, dy, x, gamma, beta, mean, invStd, N, C, H, W, after, acc);
            return;
        }
        Parallel.forRange(C, channels(N * HW), (lo, hi) -> {
            Planes planes = new Planes(H, W, after);
            for (int c = lo; c < hi; c++) {
                float mu = mean[c], is = invStd[c], g = gamma[c], b = planes.relu ? beta[c] : 0f;
                double sdy = 0, sdyx = 0;
                for (int n = 0; n < N; n++) {
                    planes.sums(dy, n * C + c, x, mu, is, g, b);
                    sdy += planes.two[0];
                    sdyx += planes.two[1];
                }
                dbeta[c] += (float) sdy;
                dgamma[c] += (float) sdyx;
                float mdy = (float) (sdy / M), mdyx = (float) (sdyx / M);
                for (int n = N - 1; n >= 0; n--) {   // backwards: the planes the sums left in cache first
                    planes.backward(dx, dy, n * C + c, x, mu, is, mdy, mdyx, g, b, acc);
                }
            }
        });
    }

    private static void smallPlanesBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                            float[] gamma, float[] beta, float[] mean, float[] invStd,
                                            int N, int C, int H, int W, Epilogue after, boolean acc) {
        int HW = H * W;
        long M = (long) N * HW;
        float[] ps = new float[N * C], pd = new float[N * C], mdy = new float[C], mdyx = new float[C];
        Parallel.forRange(N * C, Kernels.grain(HW), (lo, hi) -> {
            Planes planes = new Planes(H, W, after);
            for (int p = lo; p < hi; p++) {
                int c = p % C;
                planes.sums(dy, p, x, mean[c], invStd[c], gamma[c], planes.relu ? beta[c] : 0f);
                ps[p] = planes.two[0];
                pd[p] = planes.two[1];
            }
        });
        for (int c = 0; c < C; c++) {
            double sdy = sumOverN(ps, c, N, C), sdyx = sumOverN(pd, c, N, C);
            dbeta[c] += (float) sdy;
            dgamma[c] += (float) sdyx;
            mdy[c] = (float) (sdy / M);
            mdyx[c] = (float) (sdyx / M);
        }
        Parallel.forRange(N * C, Kernels.grain(HW), (lo, hi) -> {
            Planes planes = new Planes(H, W, after);
            for (int p = lo; p < hi; p++) {
                int c = p % C;
                planes.backward(dx, dy, p, x, mean[c], invStd[c], mdy[c], mdyx[c], gamma[c], planes.relu ? beta[c] : 0f, acc);
            }
        });
    }

    // The per-plane steps both walks share, with one parallel chunk's scratch, for one epilogue.
    // Plane p = n·C + c holds x[p·HW ..]; with a max-pool its output, output gradient and argmax
    // codes are the pooled plane at p·PQ, and the batch norm's own output (forward) or the
    // gradient at it (backward) only ever lives in the plane-sized scratch.
    private static final class Planes {
        final int H, W, HW, PQ, pool;
        final boolean relu;
        final float[] two = new float[2], scratch, codes;

        Planes(int H, int W, Epilogue after) {
            this.H = H;
            this.W = W;
            this.HW = H * W;
            this.relu = !(after instanceof Epilogue.None);
            if (after instanceof Epilogue.ReluMaxPool(int k, float[] c)) {
                if (c == null) throw new IllegalArgumentException("batch norm + max-pool needs an array for the argmax codes");
                pool = k;
                codes = c;
                scratch = new float[HW];
            } else {
                pool = 0;
                codes = null;
                scratch = null;
            }
            this.PQ = pool > 0 ? HW / (pool * pool) : HW;
        }

        // y for plane p: fma(g, x̂, b), then the epilogue: relu, or maxpool(relu(..)) at p·PQ
        void forward(float[] y, int p, float[] x, float mu, float is, float g, float b) {
            if (pool == 0) {
                Twins.normalize(y, p * HW, x, p * HW, HW, mu, is, g, b, relu);
            } else {
                Twins.normalize(scratch, 0, x, p * HW, HW, mu, is, g, b, true);
                Pool.maxPlaneArgmax(y, p * PQ, codes, p * PQ, scratch, 0, H, W, pool);
            }
        }

        // two = {Σ dy', Σ dy'·x̂} over plane p
        void sums(float[] dy, int p, float[] x, float mu, float is, float g, float b) {
            float[] src = outGrad(dy, p);
            int so = pool > 0 ? 0 : p * HW;
            Twins.sumAndDotXhat(two, src, so, x, p * HW, HW, mu, is, g, b, relu);
        }

        // dx for plane p: (γ·invStd)·(dy' − mdy − x̂·mdyx), added or assigned
        void backward(float[] dx, float[] dy, int p, float[] x, float mu, float is, float mdy, float mdyx,
                      float g, float b, boolean acc) {
            float[] src = outGrad(dy, p);
            int o = p * HW, so = pool > 0 ? 0 : o;
            float k = g * is;
            Twins.normBackward(dx, o, src, so, x, o, HW, mu, is, k, mdy, mdyx, g, b, relu, acc);
        }

        // The gradient at plane p's ReLU output: dy itself, or with a max-pool its backward of the
        // pooled gradient into the scratch (at the argmaxes the forward found, as Pool.maxBackward assigns)
        private float[] outGrad(float[] dy, int p) {
            if (pool == 0) return dy;
            Pool.maxPlaneScatter(scratch, 0, dy, p * PQ, codes, p * PQ, H, W, pool);
            return scratch;
        }
    }

    private static int channels(int perChannel) { return Kernels.grain(perChannel); }
}
