package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.kernel.Kernels;

// y = x seen with another shape of the same size (shares storage); flatten keeps dim 0.
public final class Reshape {
    private Reshape() {}

    public static Var apply(Var x, int... dims) {
        var y = x.value().reshape(dims);
        int n = x.size();
        return Var.result("reshape", y, Var.Saves.NOTHING, out -> {
            // dX += dY (same elements, same order)
            Kernels.add(x.gradData(), 0, x.gradData(), 0, out.gradData(), 0, n);
        }, x);
    }

    // (N, ...) -> (N, rest)
    public static Var flatten(Var x) {
        int n0 = x.dim(0);
        return apply(x, n0, n0 == 0 ? 0 : x.size() / n0);
    }
}
