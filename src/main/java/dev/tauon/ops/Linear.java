package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.backend.ActiveBackend;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Shape;
import dev.tauon.tensor.Tensor;

// x: (N,in), w: (out,in), b: (out) or null -> y: (N,out), y = x·wᵀ + b
public final class Linear {
    private Linear() {}

    public static Var apply(Var x, Var w, Var b) {
        Check.rank("linear", x, 2);
        Check.rank("linear", w, 2);
        int n = x.dim(0), in = x.dim(1), out = w.dim(0);
        Check.that(w.dim(1) == in, "linear: input " + x.shape() + " does not fit weight " + w.shape() + " (expects (N, " + w.dim(1) + "))");
        Check.that(b == null || b.shape().rank() == 1 && b.dim(0) == out, "linear: bias " + (b == null ? "" : b.shape()) + " does not fit weight " + w.shape());
        float[] y = Workspace.floats(Shape.of(n, out).size());
        if (b != null) for (int i = 0; i < n; i++) System.arraycopy(b.data(), 0, y, i * out, out);
        ActiveBackend.gemm(y, x.data(), false, w.data(), true, n, out, in, 1f, b == null ? 0f : 1f);
        Var[] inputs = b == null ? new Var[] {x, w} : new Var[] {x, w, b};
        return Var.result("linear", Tensor.of(y, n, out), Var.Saves.INPUTS, o -> {
            float[] dy = o.gradData();
            // dX += dY·w, dW += dYᵀ·x, db += Σ_rows dY
            if (x.requiresGrad()) ActiveBackend.gemm(x.gradData(), dy, false, w.data(), false, n, in, out, 1f, 1f);
            if (w.requiresGrad()) ActiveBackend.gemm(w.gradData(), dy, true, x.data(), false, out, in, n, 1f, 1f);
            if (b != null && b.requiresGrad()) {
                float[] db = Workspace.floats(out);
                Kernels.sumCols(db, 0, dy, 0, n, out);
                Kernels.add(b.gradData(), 0, b.gradData(), 0, db, 0, out);
            }
        }, inputs);
    }
}
