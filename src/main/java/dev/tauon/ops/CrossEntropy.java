package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Tensor;

// logits: (N,C), labels in [0,C) -> scalar mean_i −log softmax(logits_i)[label_i].
// Fused with its backward for stability and speed: dLogits = (softmax − onehot) / N.
public final class CrossEntropy {
    private CrossEntropy() {}

    public static Var apply(Var logits, int[] labels) {
        Check.rank("cross_entropy", logits, 2);
        int n = logits.dim(0), c = logits.dim(1);
        Check.that(labels.length == n, "cross_entropy: " + labels.length + " labels for logits " + logits.shape());
        float[] logp = Workspace.floats(n * c);
        Kernels.logSoftmaxRows(logp, 0, logits.data(), 0, n, c);
        float[] picked = Workspace.floats(n);
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            Check.that(y >= 0 && y < c, "cross_entropy: label " + y + " at row " + i + " is outside [0, " + c + ")");
            picked[i] = -logp[i * c + y];
        }
        float loss = Kernels.sum(picked, 0, n) / n;
        return Var.result("cross_entropy", Tensor.of(new float[] {loss}), Var.Saves.NOTHING, out -> {
            // dLogits_ij += g · (p_ij − [j == y_i]) / N
            float g = out.gradData()[0] / n;
            float[] dx = logits.gradData();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < c; j++) dx[i * c + j] += g * Kernels.exp1(logp[i * c + j]);
                dx[i * c + labels[i]] -= g;
            }
        }, logits);
    }
}
