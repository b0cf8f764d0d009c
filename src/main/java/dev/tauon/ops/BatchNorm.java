package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Norm;
import dev.tauon.kernel.Pool;
import dev.tauon.tensor.Shape;
import dev.tauon.tensor.Tensor;

// x: (N,C,H,W) or (N,C), gamma, beta: (C) -> y like x. Training: batch statistics (saves x, μ
// and 1/σ; backward recomputes x̂, so no activation-sized buffer is kept), running mean/var
// updated in place; evaluation: running statistics, a fixed affine map. applyRelu is
// relu(batchnorm(x)) as one op with the same bits: one pass fewer each way and no
// intermediate tensor (backward recomputes the ReLU mask from x); applyReluPool adds a k×k,
// stride-k max-pool, so neither the batch norm's nor the ReLU's output is ever stored (its
// forward keeps each window's argmax, one float per pooled output, for the backward).
public final class BatchNorm {
    private BatchNorm() {}

    public static Var apply(Var x, Var gamma, Var beta, float[] runMean, float[] runVar,
                            boolean training, float momentum, float eps) {
        return apply(x, gamma, beta, runMean, runVar, training, momentum, eps, false, 0);
    }

    public static Var applyRelu(Var x, Var gamma, Var beta, float[] runMean, float[] runVar,
                                boolean training, float momentum, float eps) {
        if (!training) return Relu.apply(apply(x, gamma, beta, runMean, runVar, false, momentum, eps, false, 0));
        return apply(x, gamma, beta, runMean, runVar, true, momentum, eps, true, 0);
    }

    public static Var applyReluPool(Var x, Var gamma, Var beta, float[] runMean, float[] runVar,
                                    boolean training, float momentum, float eps, int k) {
        if (!training || x.shape().rank() != 4 || !Pool.tiles(x.dim(2), x.dim(3), k, k)) {
            return MaxPool2d.apply(applyRelu(x, gamma, beta, runMean, runVar, training, momentum, eps), k, k);
        }
        return apply(x, gamma, beta, runMean, runVar, true, momentum, eps, true, k);
    }

    private static Var apply(Var x, Var gamma, Var beta, float[] runMean, float[] runVar,
                             boolean training, float momentum, float eps, boolean relu, int pool) {
        Check.that(x.shape().rank() == 4 || x.shape().rank() == 2, "batchnorm: expected (N,C,H,W) or (N,C), got " + x.shape());
        int N = x.dim(0), C = x.dim(1);
        int H = x.shape().rank() == 4 ? x.dim(2) : 1, W = x.shape().rank() == 4 ? x.dim(3) : 1;
        Check.that(gamma.size() == C && beta.size() == C && runMean.length == C && runVar.length == C,
                "batchnorm: input " + x.shape() + " has " + C + " channels, parameters have " + gamma.size());
        if (!training) {
            float[] y = Workspace.floats(x.size());
            Norm.evalForward(y, x.data(), gamma.data(), beta.data(), runMean, runVar, N, C, H, W, eps);
            float[] scale = Workspace.floats(C);
            for (int c = 0; c < C; c++) scale[c] = (float) (1.0 / Math.sqrt((double) runVar[c] + eps));
            return Var.result("batchnorm_eval", new Tensor(x.shape(), y), Var.Saves.INPUTS, out -> {
                // eval mode is affine: dX = dY·γ/σ_run; dγ, dβ as in training with x̂ from running stats
                float[] dy = out.gradData(), xs = x.data();
                int hw = H * W;
                for (int i = 0; i < y.length; i++) {
                    int c = (i / hw) % C;
                    if (x.requiresGrad()) x.gradData()[i] += dy[i] * gamma.data()[c] * scale[c];
                    if (gamma.requiresGrad()) gamma.gradData()[c] += dy[i] * (xs[i] - runMean[c]) * scale[c];
                    if (beta.requiresGrad()) beta.gradData()[c] += dy[i];
                }
            }, x, gamma, beta);
        }
        float[] mean = Workspace.floats(C), invStd = Workspace.floats(C);
        Shape shape = pool > 0 ? Shape.of(N, C, H / pool, W / pool) : x.shape();
        float[] y = Workspace.floats(shape.size()), codes = pool > 0 ? Workspace.floats(shape.size()) : null;
        Norm.trainForward(y, mean, invStd, runMean, runVar, x.data(), gamma.data(), beta.data(), N, C, H, W, momentum, eps, relu, pool, codes);
        String name = pool > 0 ? "batchnorm_relu_maxpool" : relu ? "batchnorm_relu" : "batchnorm";
        return Var.result(name, new Tensor(shape, y), Var.Saves.INPUTS, res -> {
            // dy' = dy (with relu: dy where γx̂+β > 0, else 0)
            // dγ += Σ dy'·x̂,  dβ += Σ dy',  dX += (γ/σ)·(dy' − mean(dy') − x̂·mean(dy'·x̂))
            boolean acc = x.hasGrad();
            float[] dx = x.requiresGrad() ? x.gradData(acc) : Workspace.floats(x.size());
            Norm.backward(dx, gamma.gradData(), beta.gradData(), res.gradData(), x.data(), gamma.data(), beta.data(),
                    mean, invStd, N, C, H, W, relu, acc, pool, codes);
            if (!x.requiresGrad()) Workspace.release(dx);
        }, x, gamma, beta);
    }
}
