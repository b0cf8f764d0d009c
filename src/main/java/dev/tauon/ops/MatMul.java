package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.backend.ActiveBackend;
import dev.tauon.tensor.Shape;
import dev.tauon.tensor.Tensor;

// a: (m,k), b: (k,n) -> y: (m,n), y = a·b
public final class MatMul {
    private MatMul() {}

    public static Var apply(Var a, Var b) {
        Check.rank("matmul", a, 2);
        Check.rank("matmul", b, 2);
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        Check.that(b.dim(0) == k, "matmul: inner dimensions differ: " + a.shape() + " · " + b.shape());
        float[] y = Workspace.floats(Shape.of(m, n).size());
        ActiveBackend.gemm(y, a.data(), false, b.data(), false, m, n, k, 1f, 0f);
        return Var.result("matmul", Tensor.of(y, m, n), Var.Saves.INPUTS, out -> {
            float[] dy = out.gradData();
            // dA += dY·bᵀ, dB += aᵀ·dY
            if (a.requiresGrad()) ActiveBackend.gemm(a.gradData(), dy, false, b.data(), true, m, k, n, 1f, 1f);
            if (b.requiresGrad()) ActiveBackend.gemm(b.gradData(), a.data(), true, dy, false, k, n, m, 1f, 1f);
        }, a, b);
    }
}
