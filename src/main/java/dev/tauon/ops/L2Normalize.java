package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// x: (N,d) -> y: (N,d), y_i = x_i / max(‖x_i‖, eps): rows onto the unit sphere. Saves y and ‖x_i‖.
public final class L2Normalize {
    public static final float EPS = 1e-12f;

    private L2Normalize() {}

    public static Var apply(Var x) {
        Check.rank("l2normalize", x, 2);
        int n = x.dim(0), d = x.dim(1);
        float[] y = Workspace.floats(n * d), norm = Workspace.floats(n);
        float[] xs = x.data();
        Kernels.normalizeRows(y, norm, xs, 0, n, d, EPS);
        return Var.result("l2normalize", Tensor.of(y, n, d), Var.Saves.OUTPUT, out -> {
            // dX_i += (dY_i − y_i (y_i·dY_i)) / ‖x_i‖; where the norm is clamped, y = x/eps is
            // linear and dX_i += dY_i / eps
            float[] dy = out.gradData(), dx = x.gradData();
            for (int i = 0; i < n; i++) {
                float proj = norm[i] > EPS ? Kernels.dot(y, i * d, dy, i * d, d) : 0f;
                float inv = 1f / norm[i];
                for (int j = 0; j < d; j++) dx[i * d + j] += (dy[i * d + j] - y[i * d + j] * proj) * inv;
            }
        }, x);
    }
}
