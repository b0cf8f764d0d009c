package dev.tauon.experiment;

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.data.Dataset;
import dev.tauon.data.Loader;
import dev.tauon.nn.Layer;
import dev.tauon.nn.Linear;
import dev.tauon.nn.Parameter;
import dev.tauon.nn.Sequential;
import dev.tauon.nn.SmallConvNet;
import dev.tauon.ops.CrossEntropy;
import dev.tauon.optim.Schedule;
import dev.tauon.optim.Sgd;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

// Supervised training of SmallConvNet + a linear classifier: the check that the engine learns
// real images. SGD with Nesterov momentum, cosine schedule with a short warm-up, inputs
// normalised by the training set's channel statistics, optional random horizontal flips.
public final class Supervised {
    public record Config(int epochs, int batch, double lr, double weightDecay, long seed, boolean flip) {
        public Config {
            if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
            if (batch < 2) throw new IllegalArgumentException("--batch must be >= 2 (batch norm needs a batch), got " + batch);
            if (!(lr > 0)) throw new IllegalArgumentException("--lr must be positive, got " + lr);
        }
    }

    public record EpochResult(int epoch, double trainLoss, double testAccuracy, double seconds) {}

    public record Result(List<EpochResult> epochs, double testAccuracy, double seconds) {}

    public interface Listener {
        void batchDone(int epoch, int batch, int batches, float loss);
        void epochDone(EpochResult r);
    }

    private Supervised() {}

    public static Result run(Config cfg, Dataset train, Dataset test, Listener listener) {
        Rng rng = Rng.seeded(cfg.seed());
        Sequential backbone = SmallConvNet.create(train.c(), rng.split(1));
        Linear classifier = new Linear(SmallConvNet.FEATURES, train.classes(), true, rng.split(2));
        List<Parameter> params = new ArrayList<>(backbone.parameters());
        params.addAll(classifier.parameters());

        Dataset.ChannelStats stats = train.channelStats();
        int hw = train.h() * train.w();
        Rng flipRng = rng.split(3);
        Loader loader = new Loader(train, cfg.batch(), true, rng.split(4), (x, off, sample, epoch) -> {
            stats.normalize(x, off, hw);
            if (cfg.flip() && flipRng.split(epoch).uniform(sample) < 0.5f) flipHorizontally(x, off, train.c(), train.h(), train.w());
        });
        Sgd sgd = new Sgd(params, cfg.lr(), 0.9, true, cfg.weightDecay());
        Schedule schedule = new Schedule.CosineWarmup(cfg.lr(), 0, Math.min(0.3, cfg.epochs() * 0.1), cfg.epochs());
        float[] xb = loader.newImageBuffer();
        int[] yb = loader.newLabelBuffer();
        Workspace ws = new Workspace();
        List<EpochResult> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int e = 0; e < cfg.epochs(); e++) {
            long t0 = System.nanoTime();
            Loader.Epoch epoch = loader.epoch(e);
            int batches = epoch.batches();
            double lossSum = 0;
            backbone.setTraining(true);
            for (int b = 0; b < batches; b++) {
                sgd.setLr(schedule.lr(e + (double) b / batches));
                int n = epoch.fill(b, xb, yb);
                float loss;
                try (var step = Workspace.step(ws)) {
                    Var x = Var.constant(Tensor.of(xb, n, train.c(), train.h(), train.w()));
                    Var out = CrossEntropy.apply(classifier.forward(backbone.forward(x)), yb);
                    sgd.zeroGrad();
                    out.backward();
                    sgd.step();
                    loss = out.data()[0];
                }
                lossSum += loss;
                listener.batchDone(e, b, batches, loss);
            }
            double acc = accuracy(backbone, classifier, test, stats);
            EpochResult r = new EpochResult(e + 1, lossSum / batches, acc, (System.nanoTime() - t0) * 1e-9);
            results.add(r);
            listener.epochDone(r);
        }
        return new Result(results, results.getLast().testAccuracy(), (System.nanoTime() - start) * 1e-9);
    }

    // Fraction of `data` classified correctly, in evaluation mode, without a graph.
    public static double accuracy(Layer backbone, Layer classifier, Dataset data, Dataset.ChannelStats stats) {
        int batch = 500, s = data.sampleSize(), hw = data.h() * data.w(), correct = 0;
        Workspace ws = new Workspace();
        backbone.setTraining(false);
        try (var off = Grad.off()) {
            for (int lo = 0; lo < data.n(); lo += batch) {
                int n = Math.min(batch, data.n() - lo);
                float[] xb = Arrays.copyOfRange(data.images(), lo * s, (lo + n) * s);
                for (int i = 0; i < n; i++) stats.normalize(xb, i * s, hw);
                try (var step = Workspace.step(ws)) {
                    Var x = Var.constant(Tensor.of(xb, n, data.c(), data.h(), data.w()));
                    float[] logits = classifier.forward(backbone.forward(x)).data();
                    int classes = logits.length / n;
                    for (int i = 0; i < n; i++) {
                        int best = 0;
                        for (int j = 1; j < classes; j++) if (logits[i * classes + j] > logits[i * classes + best]) best = j;
                        if (best == data.labels()[lo + i]) correct++;
                    }
                }
            }
        } finally {
            backbone.setTraining(true);
        }
        return (double) correct / data.n();
    }

    // x: (C,H,W) at off, mirrored left-right in place
    static void flipHorizontally(float[] x, int off, int C, int H, int W) {
        for (int r = 0; r < C * H; r++) {
            int row = off + r * W;
            for (int i = 0, j = W - 1; i < j; i++, j--) { float t = x[row + i]; x[row + i] = x[row + j]; x[row + j] = t; }
        }
    }
}
