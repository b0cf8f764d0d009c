package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// y = Σ x (a scalar), and the mean Σ x / n
public final class Sum {
    private Sum() {}

    public static Var apply(Var x) { return scaled(x, 1f); }

    public static Var mean(Var x) { return scaled(x, 1f / x.size()); }

    private static Var scaled(Var x, float s) {
        float y = Kernels.sum(x.data(), 0, x.size()) * s;
        return Var.result("sum", Tensor.of(new float[] {y}), Var.Saves.NOTHING, out -> {
            // dX += s·dY (broadcast)
            float g = s * out.gradData()[0];
            float[] dx = x.gradData();
            for (int i = 0; i < dx.length; i++) dx[i] += g;
        }, x);
    }
}
