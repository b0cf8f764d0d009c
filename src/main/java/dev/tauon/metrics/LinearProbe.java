package dev.tauon.metrics;

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.kernel.Kernels;
import dev.tauon.ops.Linear;
import dev.tauon.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;


// Linear evaluation of frozen features in closed form (the SGD recipe of the paper is a training
// loop: experiment/Probe). ridge: W = (XᵀX + λI)⁻¹XᵀY on one-hot targets with an unpenalised bias, solved in double (EJML).
public final class LinearProbe {
    public record Result(double trainAccuracy, double testAccuracy) {}

    private LinearProbe() {}

    static final int GRAM_ROWS = 1024;

    // Closed-form ridge regression onto one-hot targets; λ penalises the weights, not the bias.
    public static Result ridge(float[] trainX, int[] trainY, float[] testX, int[] testY, int d, int classes, double lambda) {
        int n = check(trainX, trainY, testX, testY, d, classes);
        int p = d + 1;
        float[] a = new float[n * p];                                    // [X, 1]
        for (int i = 0; i < n; i++) {
            System.arraycopy(trainX, i * d, a, i * p, d);
            a[i * p + d] = 1f;
        }
        // AᵀA: float GEMMs over blocks of GRAM_ROWS rows, the blocks summed in double in order, so
        // rounding grows with the block, not with n
        DMatrixRMaj lhs = new DMatrixRMaj(p, p), rhs = new DMatrixRMaj(p, classes), sol = new DMatrixRMaj(p, classes);
        float[] gram = new float[p * p];
        for (int r0 = 0; r0 < n; r0 += GRAM_ROWS) {
            Kernels.gemm(gram, 0, p, a, r0 * p, p, true, a, r0 * p, p, false, p, p, Math.min(GRAM_ROWS, n - r0), 1f, 0f);
            for (int i = 0; i < p * p; i++) lhs.data[i] += gram[i];
        }
        for (int j = 0; j < d; j++) lhs.data[j * p + j] += lambda;
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) rhs.data[j * classes + trainY[i]] += a[i * p + j];   // AᵀY
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(p);
        if (!solver.setA(lhs)) throw new IllegalArgumentException("probe: XᵀX + λI is not positive definite (λ = " + lambda + ")");
        solver.solve(rhs, sol);
        float[] w = new float[classes * d], b = new float[classes];     // as a Linear layer: w (classes, d)
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) w[c * d + j] = (float) sol.data[j * classes + c];
            b[c] = (float) sol.data[d * classes + c];
        }
        return evaluate(trainX, trainY, testX, testY, w, b, d, classes);
    }

    // Train and test accuracy of the linear classifier (w: (classes,d), b).
    public static Result evaluate(float[] trainX, int[] trainY, float[] testX, int[] testY, float[] w, float[] b, int d, int classes) {
        return new Result(accuracy(trainX, trainY, w, b, d, classes), accuracy(testX, testY, w, b, d, classes));
    }

    // Top-1 accuracy of argmax(x·wᵀ + b); ties to the lower class.
    static double accuracy(float[] x, int[] y, float[] w, float[] b, int d, int classes) {
        int n = y.length;
        if (n == 0) return 0;
        float[] logits;
        try (var off = Grad.off()) {
            logits = Linear.apply(Var.constant(Tensor.of(x, n, d)), Var.constant(Tensor.of(w, classes, d)), Var.constant(Tensor.of(b, classes))).data();
        }
        int right = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
            if (best == y[i]) right++;
        }
        return (double) right / n;
    }

    public static int check(float[] trainX, int[] trainY, float[] testX, int[] testY, int d, int classes) {
        Blocks.checkRows("probe", "train features", trainX, trainY.length, d);
        Blocks.checkRows("probe", "test features", testX, testY.length, d);
        for (int[] ys : new int[][] {trainY, testY}) {
            for (int y : ys) if (y < 0 || y >= classes) throw new IllegalArgumentException("probe: label " + y + " outside [0, " + classes + ")");
        }
        if (trainY.length == 0) throw new IllegalArgumentException("probe: no training samples");
        return trainY.length;
    }
}
