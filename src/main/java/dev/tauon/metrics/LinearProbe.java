package dev.tauon.metrics;

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Kernels;
import dev.tauon.nn.Parameter;
import dev.tauon.ops.CrossEntropy;
import dev.tauon.ops.Linear;
import dev.tauon.optim.Schedule;
import dev.tauon.optim.Sgd;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

import java.util.List;

// Linear evaluation of frozen features. sgd: the paper's protocol (PAPER.md §4: SGD lr 30, momentum
// 0.9, no weight decay, batch 256, ×0.2 at 40/60/80% of the epochs). ridge: a fast closed form,
// W = (XᵀX + λI)⁻¹XᵀY on one-hot targets with an unpenalised bias, solved in double (EJML).
public final class LinearProbe {
    public record SgdConfig(int epochs, int batch, double lr, double momentum, double gamma, long seed) {
        public SgdConfig {
            if (epochs < 1 || batch < 1 || !(lr > 0)) throw new IllegalArgumentException("probe: epochs, batch and lr must be positive");
        }

        public static SgdConfig paper() { return new SgdConfig(100, 256, 30, 0.9, 0.2, 0); }

        public SgdConfig withEpochs(int e) { return new SgdConfig(e, batch, lr, momentum, gamma, seed); }

        // 40/60/80 of 100 epochs, scaled to the epochs asked for
        Schedule.MultiStep schedule() {
            return new Schedule.MultiStep(lr, gamma, Math.round(0.4f * epochs), Math.round(0.6f * epochs), Math.round(0.8f * epochs));
        }
    }

    public record Result(double trainAccuracy, double testAccuracy) {}

    private LinearProbe() {}

    // trainX: (n,d), testX: (m,d), labels in [0, classes)
    public static Result sgd(float[] trainX, int[] trainY, float[] testX, int[] testY, int d, int classes, SgdConfig cfg) {
        int n = check(trainX, trainY, testX, testY, d, classes);
        Rng rng = Rng.seeded(cfg.seed());
        Tensor w0 = Tensor.zeros(classes, d);
        float bound = (float) (1 / Math.sqrt(d));                       // PyTorch's nn.Linear init
        rng.split(1).fillUniform(w0.data(), 0, w0.size(), -bound, bound);
        Var w = Var.param(w0), b = Var.param(Tensor.zeros(classes));
        Sgd opt = new Sgd(List.of(new Parameter("weight", w), new Parameter("bias", b)), cfg.lr(), cfg.momentum(), false, 0);
        Schedule.MultiStep schedule = cfg.schedule();
        Workspace ws = new Workspace();
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            opt.setLr(schedule.lr(epoch));
            int[] perm = rng.split(2).split(epoch).permutation(n);
            for (int from = 0; from < n; from += cfg.batch()) {
                int bs = Math.min(cfg.batch(), n - from);
                try (var step = Workspace.step(ws)) {
                    float[] xb = Workspace.floats(bs * d);
                    int[] yb = new int[bs];
                    for (int r = 0; r < bs; r++) {
                        System.arraycopy(trainX, perm[from + r] * d, xb, r * d, d);
                        yb[r] = trainY[perm[from + r]];
                    }
                    opt.zeroGrad();
                    CrossEntropy.apply(Linear.apply(Var.constant(Tensor.of(xb, bs, d)), w, b), yb).backward();
                    opt.step();
                }
            }
        }
        float[] wd = w.data(), bd = b.data();
        return new Result(accuracy(trainX, trainY, wd, bd, d, classes), accuracy(testX, testY, wd, bd, d, classes));
    }

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

    private static int check(float[] trainX, int[] trainY, float[] testX, int[] testY, int d, int classes) {
        Blocks.checkRows("probe", "train features", trainX, trainY.length, d);
        Blocks.checkRows("probe", "test features", testX, testY.length, d);
        for (int[] ys : new int[][] {trainY, testY}) {
            for (int y : ys) if (y < 0 || y >= classes) throw new IllegalArgumentException("probe: label " + y + " outside [0, " + classes + ")");
        }
        if (trainY.length == 0) throw new IllegalArgumentException("probe: no training samples");
        return trainY.length;
    }
}
