package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Tensor;

// The temperature-free losses of docs/paper.md §2 as one op: per row i a support D_i, a weight λ_i
// and the positive p_i. Simple: D = all but self, λ = 1/N. HardSimple: D = top-K, λ = 1/K.
// The τ→0 limit: D = the hardest negative, λ = 1, hinged at 0.
final class LinearContrast {
    private LinearContrast() {}

    // s: (A,C) -> scalar  L = (1/A) Σ_i h(−s_ip + λ_i Σ_{j∈D_i} s_ij),  h = identity or max(·, 0)
    static Var apply(String name, Var s, Support d, int[] pos, float[] lambda, boolean hinge) {
        SoftmaxContrast.checkSimilarity(name, s);
        int rows = s.dim(0), cols = s.dim(1);
        int grain = Math.max(1, 16384 / Math.max(1, cols));
        float[] x = s.data(), buf = Workspace.floats(d.total()), loss = Workspace.floats(rows);
        Parallel.forRange(rows, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                d.gather(i, x, buf, d.offset()[i]);
                loss[i] = Math.fma(lambda[i], Kernels.sum(buf, d.offset()[i], d.size(i)), -x[i * cols + pos[i]]);
            }
        });
        float[] active = Workspace.floats(rows);
        for (int i = 0; i < rows; i++) {
            active[i] = !hinge || loss[i] > 0f ? 1f : 0f;
            loss[i] *= active[i];
        }
        float value = Kernels.sum(loss, 0, rows) / rows;
        return Var.result(name, Tensor.of(new float[] {value}), out -> {
            // dS_ij += (g/A)·[row active]·(λ_i [j∈D_i] − [j = p_i])
            float g = out.gradData()[0] / rows;
            float[] ds = s.gradData();
            int[] rs = d.rowStart(), b = d.bounds();
            Parallel.forRange(rows, grain, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    if (active[i] == 0f) continue;
                    float c = g * lambda[i];
                    int base = i * cols;
                    for (int r = rs[i]; r < rs[i + 1]; r += 2) {
                        for (int j = base + b[r], end = base + b[r + 1]; j < end; j++) ds[j] += c;
                    }
                    ds[base + pos[i]] -= g;
                }
            });
        }, s);
    }
}
