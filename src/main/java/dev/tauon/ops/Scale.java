package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// y = s·x for a constant s
public final class Scale {
    private Scale() {}

    public static Var apply(Var x, float s) {
        int n = x.size();
        float[] y = Workspace.floats(n);
        Kernels.scale(y, 0, s, x.data(), 0, n);
        return Var.result("scale", new Tensor(x.shape(), y), Var.Saves.NOTHING, out -> {
            // dX += s·dY
            Kernels.axpy(x.gradData(), 0, s, out.gradData(), 0, n);
        }, x);
    }
}
