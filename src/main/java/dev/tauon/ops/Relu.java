package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// y = max(x, 0); saves y ([y > 0] = [x > 0]), so x may die after the forward pass
public final class Relu {
    private Relu() {}

    public static Var apply(Var x) {
        int n = x.size();
        float[] y = Workspace.floats(n);
        Kernels.relu(y, 0, x.data(), 0, n);
        return Var.result("relu", new Tensor(x.shape(), y), Var.Saves.OUTPUT, out -> {
            // dX += dY ⊙ [y > 0]
            Kernels.reluBackward(x.gradData(), 0, y, 0, out.gradData(), 0, n);
        }, x);
    }
}
