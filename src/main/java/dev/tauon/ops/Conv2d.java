package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.backend.ActiveBackend;
import dev.tauon.kernel.Conv;
import dev.tauon.tensor.Shape;
import dev.tauon.tensor.Tensor;

// x: (N,C,H,W), w: (K,C,R,S) -> y: (N,K,P,Q), P = (H + 2·pad − R)/stride + 1; no bias
// (every conv in the models is followed by batch norm). Saves x and w.
public final class Conv2d {
    private Conv2d() {}

    public static Var apply(Var x, Var w, int stride, int pad) {
        Check.rank("conv2d", x, 4);
        Check.rank("conv2d", w, 4);
        int N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
        int K = w.dim(0), R = w.dim(2), S = w.dim(3);
        Check.that(w.dim(1) == C, "conv2d: input " + x.shape() + " has " + C + " channels, weight " + w.shape() + " expects " + w.dim(1));
        Check.that(stride >= 1 && pad >= 0, "conv2d: stride must be >= 1 and pad >= 0, got stride " + stride + ", pad " + pad);
        Check.that(H + 2 * pad >= R && W + 2 * pad >= S, "conv2d: kernel " + R + "x" + S + " larger than padded input " + x.shape());
        int P = Conv.outSize(H, R, stride, pad), Q = Conv.outSize(W, S, stride, pad);
        float[] y = Workspace.floats(Shape.of(N, K, P, Q).size());
        Conv.forward(y, x.data(), w.data(), N, C, H, W, K, R, S, stride, pad, ActiveBackend.offCpu());
        return Var.result("conv2d", Tensor.of(y, N, K, P, Q), Var.Saves.INPUTS, out -> {
            float[] dy = out.gradData();
            // dX += convᵀ(dY, W) (the first contribution overwrites an unzeroed buffer);  dW += Σ_n dY_n · col(x_n)ᵀ
            if (x.requiresGrad()) {
                boolean acc = x.hasGrad();
                Conv.backwardData(x.gradData(acc), dy, w.data(), N, C, H, W, K, R, S, stride, pad, ActiveBackend.offCpu(), acc);
            }
            if (w.requiresGrad()) Conv.backwardWeight(w.gradData(), x.data(), dy, N, C, H, W, K, R, S, stride, pad, ActiveBackend.offCpu());
        }, x, w);
    }
}
