package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Pool;
import dev.tauon.tensor.Tensor;

// x: (N,C,H,W) -> y: (N,C), the mean of each channel plane
public final class GlobalAvgPool {
    private GlobalAvgPool() {}

    public static Var apply(Var x) {
        Check.rank("global_avg_pool", x, 4);
        int N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
        float[] y = Workspace.floats(N * C);
        Pool.globalAvgForward(y, x.data(), N, C, H, W);
        return Var.result("global_avg_pool", Tensor.of(y, N, C), Var.Saves.NOTHING, out -> {
            // dX[n,c,:,:] += dY[n,c] / (H·W)
            boolean acc = x.hasGrad();
            Pool.globalAvgBackward(x.gradData(acc), out.gradData(), N, C, H, W, acc);
        }, x);
    }
}
