package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// y = a ⊙ b (elementwise, same shapes)
public final class Mul {
    private Mul() {}

    public static Var apply(Var a, Var b) {
        Check.sameShape("mul", a, b);
        int n = a.size();
        float[] y = Workspace.floats(n);
        Kernels.mul(y, 0, a.data(), 0, b.data(), 0, n);
        return Var.result("mul", new Tensor(a.shape(), y), Var.Saves.INPUTS, out -> {
            // dA += dY ⊙ b, dB += dY ⊙ a
            float[] dy = out.gradData(), t = Workspace.floats(n);
            if (a.requiresGrad()) { Kernels.mul(t, 0, dy, 0, b.data(), 0, n); Kernels.add(a.gradData(), 0, a.gradData(), 0, t, 0, n); }
            if (b.requiresGrad()) { Kernels.mul(t, 0, dy, 0, a.data(), 0, n); Kernels.add(b.gradData(), 0, b.gradData(), 0, t, 0, n); }
        }, a, b);
    }
}
