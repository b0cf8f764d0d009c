package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// a: (N,d), b: (M,d) -> y: (N+M,d), the rows of a then the rows of b (SimCLR's z = [z1; z2]).
public final class ConcatRows {
    private ConcatRows() {}

    public static Var apply(Var a, Var b) {
        Check.rank("concat_rows", a, 2);
        Check.rank("concat_rows", b, 2);
        Check.that(a.dim(1) == b.dim(1), "concat_rows: widths differ: " + a.shape() + " vs " + b.shape());
        int na = a.size(), nb = b.size();
        float[] y = Workspace.floats(na + nb);
        System.arraycopy(a.data(), 0, y, 0, na);
        System.arraycopy(b.data(), 0, y, na, nb);
        return Var.result("concat_rows", Tensor.of(y, a.dim(0) + b.dim(0), a.dim(1)), Var.Saves.NOTHING, out -> {
            // dA += dY[0:N], dB += dY[N:N+M]
            float[] dy = out.gradData();
            if (a.requiresGrad()) Kernels.add(a.gradData(), 0, a.gradData(), 0, dy, 0, na);
            if (b.requiresGrad()) Kernels.add(b.gradData(), 0, b.gradData(), 0, dy, na, nb);
        }, a, b);
    }
}
