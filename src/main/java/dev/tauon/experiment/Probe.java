package dev.tauon.experiment;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.metrics.LinearProbe;
import dev.tauon.nn.Parameter;
import dev.tauon.ops.CrossEntropy;
import dev.tauon.ops.Linear;
import dev.tauon.optim.Schedule;
import dev.tauon.optim.Sgd;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.List;

// The paper's linear evaluation (docs/paper.md §4): a linear layer trained with SGD on frozen
// features — lr 30, momentum 0.9, no weight decay, batch 256, ×0.2 at 40/60/80% of the epochs.
// A training loop, so it lives here and not in metrics (which know no training).
public final class Probe {
    public record Config(int epochs, int batch, double lr, double momentum, double gamma, long seed) {
        public Config {
            if (epochs < 1 || batch < 1 || !(lr > 0)) throw new IllegalArgumentException("probe: epochs, batch and lr must be positive");
        }

        public static Config paper(int epochs) { return paper(epochs, 0); }

        // the probe's shuffling and initialisation drawn from `seed` (a run's seed)
        public static Config paper(int epochs, long seed) { return new Config(epochs, 256, 30, 0.9, 0.2, seed); }

        Schedule.MultiStep schedule() {
            return new Schedule.MultiStep(lr, gamma, Math.round(0.4f * epochs), Math.round(0.6f * epochs), Math.round(0.8f * epochs));
        }
    }

    private Probe() {}

    // trainX: (n,d), testX: (m,d), labels in [0, classes) -> train and test top-1
    public static LinearProbe.Result sgd(float[] trainX, int[] trainY, float[] testX, int[] testY, int d, int classes, Config cfg) {
        LinearProbe.check(trainX, trainY, testX, testY, d, classes);
        int n = trainY.length;
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
        return LinearProbe.evaluate(trainX, trainY, testX, testY, w.data(), b.data(), d, classes);
    }
}
