package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Norm;
import dev.tauon.kernel.Pool;
import dev.tauon.tensor.Shape;
import dev.tauon.tensor.Tensor;

// x: (N,C,H,W) or (N,C), gamma, beta: (C) -> y like x. Two paths. train: batch statistics (saves
// x, μ and 1/σ; backward recomputes x̂, so no activation-sized buffer is kept), running mean/var
// updated in place. eval: running statistics, a fixed affine map. train is the plain op and the
// oracle of its fused forms, which run an epilogue in the same pass with the same bits:
// trainRelu is relu(train(x)), one pass fewer each way and no intermediate tensor (backward
// recomputes the ReLU mask from x); trainReluMaxPool adds a k×k, stride-k max-pool, so neither
// the batch norm's nor the ReLU's output is ever stored (its forward keeps each window's argmax,
// one float per pooled output, for the backward).
public final class BatchNorm {
    private BatchNorm() {}

    public static Var train(Var x, Var gamma, Var beta, float[] runMean, float[] runVar, float momentum, float eps) {
        return train(x, gamma, beta, runMean, runVar, momentum, eps, Norm.Epilogue.NONE);
    }

    public static Var trainRelu(Var x, Var gamma, Var beta, float[] runMean, float[] runVar, float momentum, float eps) {
        return train(x, gamma, beta, runMean, runVar, momentum, eps, Norm.Epilogue.RELU);
    }

    // maxpool_k(relu(train(x))); where the windows do not tile x, the separate max-pool op
    public static Var trainReluMaxPool(Var x, Var gamma, Var beta, float[] runMean, float[] runVar, float momentum, float eps, int k) {
        if (x.shape().rank() != 4 || !Pool.tiles(x.dim(2), x.dim(3), k, k)) {
            return MaxPool2d.apply(trainRelu(x, gamma, beta, runMean, runVar, momentum, eps), k, k);
        }
        Shape pooled = Shape.of(x.dim(0), x.dim(1), x.dim(2) / k, x.dim(3) / k);
        return train(x, gamma, beta, runMean, runVar, momentum, eps, new Norm.Epilogue.ReluMaxPool(k, Workspace.floats(pooled.size())));
    }

    // y = γ·(x − runMean)/√(runVar + eps) + β
    public static Var eval(Var x, Var gamma, Var beta, float[] runMean, float[] runVar, float eps) {
        int[] d = dims(x, gamma, beta, runMean, runVar);
        int N = d[0], C = d[1], H = d[2], W = d[3];
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

    private static Var train(Var x, Var gamma, Var beta, float[] runMean, float[] runVar, float momentum, float eps, Norm.Epilogue after) {
        int[] d = dims(x, gamma, beta, runMean, runVar);
        int N = d[0], C = d[1], H = d[2], W = d[3];
        float[] mean = Workspace.floats(C), invStd = Workspace.floats(C);
        Shape shape = after instanceof Norm.Epilogue.ReluMaxPool(int k, var _) ? Shape.of(N, C, H / k, W / k) : x.shape();
        float[] y = Workspace.floats(shape.size());
        Norm.trainForward(y, mean, invStd, runMean, runVar, x.data(), gamma.data(), beta.data(), N, C, H, W, momentum, eps, after);
        String name = switch (after) {
            case Norm.Epilogue.None n -> "batchnorm";
            case Norm.Epilogue.Relu r -> "batchnorm_relu";
            case Norm.Epilogue.ReluMaxPool p -> "batchnorm_relu_maxpool";
        };
        return Var.result(name, new Tensor(shape, y), Var.Saves.INPUTS, res -> {
            // dy' = dy at the batch norm's output (through the epilogue's backward)
            // dγ += Σ dy'·x̂,  dβ += Σ dy',  dX += (γ/σ)·(dy' − mean(dy') − x̂·mean(dy'·x̂))
            boolean acc = x.hasGrad();
            float[] dx = x.requiresGrad() ? x.gradData(acc) : Workspace.floats(x.size());
            Norm.backward(dx, gamma.gradData(), beta.gradData(), res.gradData(), x.data(), gamma.data(), beta.data(),
                    mean, invStd, N, C, H, W, after, acc);
            if (!x.requiresGrad()) Workspace.release(dx);
        }, x, gamma, beta);
    }

    // {N, C, H, W} of x ((N,C) has H = W = 1), checked against the per-channel arrays
    private static int[] dims(Var x, Var gamma, Var beta, float[] runMean, float[] runVar) {
        Check.that(x.shape().rank() == 4 || x.shape().rank() == 2, "batchnorm: expected (N,C,H,W) or (N,C), got " + x.shape());
        int N = x.dim(0), C = x.dim(1);
        int H = x.shape().rank() == 4 ? x.dim(2) : 1, W = x.shape().rank() == 4 ? x.dim(3) : 1;
        Check.that(gamma.size() == C && beta.size() == C && runMean.length == C && runVar.length == C,
                "batchnorm: input " + x.shape() + " has " + C + " channels, parameters have " + gamma.size());
        return new int[] {N, C, H, W};
    }
}
