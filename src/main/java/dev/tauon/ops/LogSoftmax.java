package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// x: (N,C) -> y: (N,C), y = x − logΣexp(x) per row. Saves y.
public final class LogSoftmax {
    private LogSoftmax() {}

    public static Var apply(Var x) {
        Check.rank("logsoftmax", x, 2);
        int n = x.dim(0), c = x.dim(1);
        float[] y = Workspace.floats(n * c);
        Kernels.logSoftmaxRows(y, 0, x.data(), 0, n, c);
        return Var.result("logsoftmax", Tensor.of(y, n, c), Var.Saves.OUTPUT, out -> {
            // dX_i += dY_i − softmax_i · Σ_j dY_ij
            float[] dy = out.gradData(), dx = x.gradData();
            for (int i = 0; i < n; i++) {
                float s = Kernels.sum(dy, i * c, c);
                for (int j = 0; j < c; j++) dx[i * c + j] += dy[i * c + j] - Kernels.exp1(y[i * c + j]) * s;
            }
        }, x);
    }
}
