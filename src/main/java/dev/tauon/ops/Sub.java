package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// y = a - b (same shapes)
public final class Sub {
    private Sub() {}

    public static Var apply(Var a, Var b) {
        Check.sameShape("sub", a, b);
        int n = a.size();
        float[] y = Workspace.floats(n);
        Kernels.sub(y, 0, a.data(), 0, b.data(), 0, n);
        return Var.result("sub", new Tensor(a.shape(), y), Var.Saves.NOTHING, out -> {
            // dA += dY, dB -= dY
            float[] dy = out.gradData();
            if (a.requiresGrad()) Kernels.add(a.gradData(), 0, a.gradData(), 0, dy, 0, n);
            if (b.requiresGrad()) Kernels.sub(b.gradData(), 0, b.gradData(), 0, dy, 0, n);
        }, a, b);
    }
}
