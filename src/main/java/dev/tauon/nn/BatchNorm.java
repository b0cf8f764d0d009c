package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.tensor.Tensor;

import java.util.List;

// Batch normalisation over channels of (N,C,H,W) or (N,C): γ = 1, β = 0, running mean 0 and
// variance 1, momentum 0.1, eps 1e-5 (PyTorch's defaults). Batch statistics in training mode,
// running statistics in evaluation mode.
public final class BatchNorm implements Layer {
    public static final float MOMENTUM = 0.1f, EPS = 1e-5f;

    private final Var gamma, beta;
    private final Tensor runMean, runVar;
    private boolean training = true;

    public BatchNorm(int channels) {
        Tensor g = Tensor.zeros(channels);
        g.fill(1f);
        this.gamma = Var.param(g);
        this.beta = Var.param(Tensor.zeros(channels));
        this.runMean = Tensor.zeros(channels);
        this.runVar = Tensor.zeros(channels);
        runVar.fill(1f);
    }

    @Override public Var forward(Var x) {
        return training ? dev.tauon.ops.BatchNorm.train(x, gamma, beta, runMean.data(), runVar.data(), MOMENTUM, EPS)
                : dev.tauon.ops.BatchNorm.eval(x, gamma, beta, runMean.data(), runVar.data(), EPS);
    }

    // relu(forward(x)), in training as one fused op with the same bits (Sequential uses it for
    // BatchNorm, ReLU)
    public Var forwardRelu(Var x) {
        return training ? dev.tauon.ops.BatchNorm.trainRelu(x, gamma, beta, runMean.data(), runVar.data(), MOMENTUM, EPS)
                : dev.tauon.ops.Relu.apply(forward(x));
    }

    // maxpool_k(relu(forward(x))), in training as one fused op with the same bits (Sequential
    // uses it for BatchNorm, ReLU, MaxPool2d)
    public Var forwardReluPool(Var x, int k) {
        return training ? dev.tauon.ops.BatchNorm.trainReluMaxPool(x, gamma, beta, runMean.data(), runVar.data(), MOMENTUM, EPS, k)
                : dev.tauon.ops.MaxPool2d.apply(forwardRelu(x), k, k);
    }

    @Override public List<Parameter> parameters() {
        return List.of(new Parameter("weight", gamma), new Parameter("bias", beta));
    }

    @Override public List<Parameter> buffers() {
        return List.of(new Parameter("running_mean", Var.constant(runMean)), new Parameter("running_var", Var.constant(runVar)));
    }

    @Override public void setTraining(boolean training) { this.training = training; }
}
