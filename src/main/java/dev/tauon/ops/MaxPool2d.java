package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Pool;
import dev.tauon.tensor.Shape;
import dev.tauon.tensor.Tensor;

// x: (N,C,H,W) -> y: (N,C,P,Q), max over k×k windows with the given stride, no padding.
// Saves x: backward recomputes each window's argmax (ties: the first in row-major order).
public final class MaxPool2d {
    private MaxPool2d() {}

    public static Var apply(Var x, int k, int stride) {
        Check.rank("maxpool2d", x, 4);
        int N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
        Check.that(k >= 1 && stride >= 1 && H >= k && W >= k, "maxpool2d: window " + k + " stride " + stride + " does not fit input " + x.shape());
        int P = (H - k) / stride + 1, Q = (W - k) / stride + 1;
        float[] y = Workspace.floats(Shape.of(N, C, P, Q).size());
        Pool.maxForward(y, x.data(), N, C, H, W, k, stride);
        return Var.result("maxpool2d", Tensor.of(y, N, C, P, Q), Var.Saves.INPUTS, out -> {
            // dX[argmax] += dY
            boolean acc = x.hasGrad();
            Pool.maxBackward(x.gradData(acc), out.gradData(), x.data(), N, C, H, W, k, stride, acc);
        }, x);
    }
}
