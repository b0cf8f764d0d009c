package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Tensor;

// The softmax family of docs/paper.md §2 as one fused op. Per row i: a denominator support D_i and
// weighted positives (p, w_ip); InfoNCE, the hard loss, DCL, DCLW and SupCon differ only in those.
// Fused with its backward for stability at small τ (row max subtracted before exp) and speed.
final class SoftmaxContrast {
    private SoftmaxContrast() {}

    // Per row i, positive columns cols[start[i] .. start[i+1]) with their weights.
    record Positives(int[] start, int[] cols, float[] weights) {
        static Positives single(int[] pos, float[] weights) {
            int[] start = new int[pos.length + 1];
            for (int i = 0; i <= pos.length; i++) start[i] = i;
            float[] w = weights != null ? weights.clone() : new float[pos.length];
            if (weights == null) java.util.Arrays.fill(w, 1f);
            return new Positives(start, pos.clone(), w);
        }
    }

    // s: (A,C) -> scalar  L = (1/A) Σ_i [ log Σ_{j∈D_i} e^{s_ij/τ} − Σ_p w_ip s_ip/τ ]
    static Var apply(String name, Var s, Support d, Positives p, float tau) {
        checkSimilarity(name, s);
        if (!(tau > 0) || Float.isInfinite(tau)) throw new IllegalArgumentException(name + ": temperature must be positive and finite, got " + tau);
        int rows = s.dim(0), cols = s.dim(1);
        for (int i = 0; i < rows; i++) if (d.size(i) == 0) throw new IllegalArgumentException(name + ": row " + i + " has no candidates in its denominator");
        float invTau = 1f / tau;
        int grain = Math.max(1, 16384 / Math.max(1, cols));
        float[] x = s.data(), e = Workspace.floats(d.total());
        float[] max = Workspace.floats(rows), sum = Workspace.floats(rows), loss = Workspace.floats(rows);
        Parallel.forRange(rows, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int off = d.offset()[i], n = d.size(i);
                d.gather(i, x, e, off);
                float m = Kernels.max(e, off, n);
                for (int j = off; j < off + n; j++) e[j] = (e[j] - m) * invTau;
                max[i] = m;
            }
        });
        Kernels.exp(e, 0, e, 0, d.total());                           // e_ij = exp((s_ij − m_i)/τ)
        Parallel.forRange(rows, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                sum[i] = Kernels.sum(e, d.offset()[i], d.size(i));
                float m = max[i], pw = 0f, w = 0f;
                for (int t = p.start()[i]; t < p.start()[i + 1]; t++) {
                    pw = Math.fma(p.weights()[t], m - x[i * cols + p.cols()[t]], pw);
                    w += p.weights()[t];
                }
                // log Σ e^{s/τ} − Σ w s_p/τ, written around the row max m so it stays finite at τ = 0.01
                loss[i] = Kernels.log1(sum[i]) + invTau * (pw + (1f - w) * m);
            }
        });
        float value = Kernels.sum(loss, 0, rows) / rows;
        return Var.result(name, Tensor.of(new float[] {value}), out -> {
            // dS_ij += (g/A)(P_ij [j∈D_i] − w_ij)/τ,  P_ij = e_ij / Σ_{k∈D_i} e_ik
            float g = out.gradData()[0] / rows * invTau;
            float[] ds = s.gradData();
            int[] rs = d.rowStart(), b = d.bounds();
            Parallel.forRange(rows, grain, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    float c = g / sum[i];
                    int k = d.offset()[i], base = i * cols;
                    for (int r = rs[i]; r < rs[i + 1]; r += 2) {
                        for (int j = base + b[r], end = base + b[r + 1]; j < end; j++) ds[j] = Math.fma(c, e[k++], ds[j]);
                    }
                    for (int t = p.start()[i]; t < p.start()[i + 1]; t++) {
                        int j = base + p.cols()[t];
                        ds[j] = Math.fma(-g, p.weights()[t], ds[j]);
                    }
                }
            });
        }, s);
    }

    static void checkSimilarity(String name, Var s) {
        if (s.shape().rank() != 2) throw new IllegalArgumentException(name + ": expected a similarity matrix (anchors, candidates), got shape " + s.shape());
    }
}
