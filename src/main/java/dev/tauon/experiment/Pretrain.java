package dev.tauon.experiment;

import dev.tauon.autograd.Anomaly;
import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.data.DataException;
import dev.tauon.data.Dataset;
import dev.tauon.data.Datasets;
import dev.tauon.loss.Collapse;
import dev.tauon.loss.ContrastiveLoss;
import dev.tauon.loss.Decoupled;
import dev.tauon.loss.HardContrastive;
import dev.tauon.loss.HardSimple;
import dev.tauon.loss.InfoNce;
import dev.tauon.loss.MemoryBank;
import dev.tauon.loss.Pairs;
import dev.tauon.loss.SimpleContrastive;
import dev.tauon.nn.Parameter;
import dev.tauon.ops.Linear;
import dev.tauon.optim.AdamW;
import dev.tauon.optim.Lars;
import dev.tauon.optim.Optimizer;
import dev.tauon.optim.Schedule;
import dev.tauon.optim.Sgd;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

// One contrastive pretraining run (docs/paper.md §1-4): the SimCLR setting (2B views a step, in-batch
// negatives) or the memory-bank setting (one view a step, the bank's N entries as positive and
// negatives, momentum update after the step). Checkpoints at every epoch's end and every few
// minutes; a resumed run ends bit-identical to an uninterrupted one, because every random draw is
// a function of (seed, epoch, sample, view) and the loop's whole state is in the checkpoint.
public final class Pretrain {
    // Stream labels under the run's seed: one purpose each, never reused.
    static final long MODEL = 1, ORDER = 2, AUGMENT = 3, BANK = 4, EVAL_VIEWS = 5;

    public interface Listener {
        void epochStart(int epoch, int epochs, int batches, int firstStep);
        void step(int step, float loss, double viewsPerS);
        void epochEnd(History.Row row);
        void note(String line);
    }

    // A trained network and how training went.
    public record Trained(Model model, Dataset.ChannelStats stats, List<History.Row> history, double trainSeconds, long trainViews) {}

    private Pretrain() {}

    public static ContrastiveLoss loss(RunConfig c) {
        float tau = c.tau() == null ? Float.NaN : c.tau().floatValue();
        return switch (c.loss()) {
            case "infonce" -> new InfoNce(tau);
            case "hard" -> new HardContrastive(tau, c.k());
            case "simple" -> new SimpleContrastive();
            case "hardsimple" -> new HardSimple(c.k());
            case "dcl" -> Decoupled.dcl(tau);
            case "dclw" -> Decoupled.dclw(tau);
            default -> throw new IllegalArgumentException("unknown loss " + c.loss());
        };
    }

    static Optimizer optimizer(RunConfig c, Model model) {
        return switch (c.optimizer()) {
            case "sgd" -> new Sgd(model.parameters(), c.lr(), c.momentum(), false, c.weightDecay());
            case "lars" -> new Lars(model.parameters(), c.lr(), c.momentum(), c.weightDecay(), 0.001);
            case "adamw" -> new AdamW(model.parameters(), c.lr(), c.weightDecay());
            default -> throw new IllegalArgumentException("unknown optimizer " + c.optimizer());
        };
    }

    // lr at a fractional epoch: linear warm-up, then cosine to 0 or the paper's ×0.1 at 80% and 95%.
    static double lr(RunConfig c, double epoch) {
        double w = c.warmupEpochs();
        if (epoch < w) return c.lr() * epoch / w;
        Schedule s = c.schedule().equals("step")
                ? new Schedule.MultiStep(c.lr(), 0.1, (int) Math.round(0.8 * c.epochs()), (int) Math.round(0.95 * c.epochs()))
                : new Schedule.CosineWarmup(c.lr(), 0, w, c.epochs());
        return s.lr(epoch);
    }

    // cfg is resolved (RunConfig.resolve) for data.train(). resume: continue from the newest
    // valid checkpoint in the folder (or start when there is none).
    // detectAnomaly: check every op's output and gradient (Anomaly) to name the op where a NaN or
    // Inf first appears; without it the loss, the gradients and the weights are checked each step.
    public static Trained run(RunConfig cfg, Datasets.Split data, RunFolder folder, boolean resume, double checkpointMinutes,
                             boolean detectAnomaly, Listener listener) throws IOException {
        Dataset train = data.train(), test = data.test();
        Rng rng = Rng.seeded(cfg.seed());
        Model model = new Model(cfg, train.c(), rng.split(MODEL));
        Optimizer opt = optimizer(cfg, model);
        boolean bankSetting = cfg.setting().equals("bank");
        MemoryBank bank = bankSetting ? new MemoryBank(train.n(), cfg.dim(), (float) cfg.bankMomentum(), rng.split(BANK)) : null;
        ContrastiveLoss loss = loss(cfg);
        Dataset.ChannelStats stats = train.channelStats();
        Views views = new Views(train, cfg.augment().toAugment(), stats, rng.split(AUGMENT));

        Checkpoint.State st = new Checkpoint.State(0, 0, 0, 0, new ArrayList<>(), 0, 0);
        if (resume) {
            Checkpoint.Loaded loaded = Checkpoint.restoreNewest(folder.checkpoints(), model, opt, bank);
            if (loaded != null) {
                List<String> diff = RunConfig.differences(loaded.config(), cfg.toMap(), "");
                if (!diff.isEmpty()) {
                    throw new DataException("--resume: the configuration differs from the checkpoint's " + loaded.record().getFileName()
                            + " in " + String.join("; ", diff));
                }
                for (String s : loaded.skipped()) listener.note("skipped an invalid checkpoint: " + s);
                st = loaded.state();
                int steps = train.n() / cfg.batch();
                if (st.epoch() > cfg.epochs() || st.step() >= steps || (st.epoch() == cfg.epochs() && st.step() > 0)) {
                    throw new DataException(loaded.record() + ": position epoch " + (st.epoch() + 1) + ", step " + st.step()
                            + " is outside this run of " + cfg.epochs() + " epochs of " + steps + " steps");
                }
                listener.note(st.step() == 0
                        ? String.format("resuming from %s (after epoch %d of %d)", loaded.record().getFileName(), st.epoch(), cfg.epochs())
                        : String.format("resuming from %s (epoch %d, after step %d)", loaded.record().getFileName(), st.epoch() + 1, st.step()));
                folder.log("resumed from " + loaded.record().getFileName());
            }
        }

        int viewsPerImage = bankSetting ? 1 : 2, b = cfg.batch(), batches = train.n() / b;
        int rows = viewsPerImage * b;
        float[] x = new float[rows * train.sampleSize()], zCopy = new float[b * cfg.dim()];
        Pairs pairs = bankSetting ? null : Pairs.simclr(b);
        Workspace ws = new Workspace();
        List<History.Row> history = new ArrayList<>(st.history());
        double trainSeconds = st.trainSeconds();
        long trainViews = st.trainViews(), optSteps = st.optimizerSteps();
        // The loss of an embedding collapsed to one point, to name a collapse when an epoch ends there
        // (computed before the checkpoint clock starts: it is not training time). Every row is the
        // same then, so one bank row stands for the batch (not b x N similarities).
        double collapsed = bankSetting ? Collapse.collapsedValue(loss, 1, bank.size(), Pairs.bank(new int[] {0}))
                : Collapse.collapsedValue(loss, rows, rows, pairs);
        long lastCheckpoint = System.nanoTime();
        long checkpointNanos = (long) (checkpointMinutes * 60e9);

        for (int e = st.epoch(); e < cfg.epochs(); e++) {
            int first = e == st.epoch() ? st.step() : 0;
            double lossSum = e == st.epoch() ? st.lossSum() : 0;
            int[] order = rng.split(ORDER).split(e).permutation(train.n());
            model.setTraining(true);
            listener.epochStart(e, cfg.epochs(), batches, first);
            long epochStart = System.nanoTime();
            double epochTrain = 0;
            long epochViews = 0;
            for (int s = first; s < batches; s++) {
                if (Stop.requested() || (checkpointNanos > 0 && System.nanoTime() - lastCheckpoint > checkpointNanos)) {
                    save(folder, cfg, new Checkpoint.State(e, s, lossSum, optSteps, history, trainSeconds, trainViews), model, opt, bank);
                    lastCheckpoint = System.nanoTime();
                    if (Stop.requested()) {
                        folder.log("stopped by a signal at epoch " + (e + 1) + " step " + s + "; checkpoint written");
                        throw Stop.stopped("checkpoint written at epoch " + (e + 1) + ", step " + s + "; --resume continues");
                    }
                }
                long t0 = System.nanoTime();
                int[] idx = Arrays.copyOfRange(order, s * b, s * b + b);
                views.fill(idx, b, viewsPerImage, e, x);
                opt.setLr(lr(cfg, e + (double) s / batches));
                float value;
                if (detectAnomaly) Anomaly.start();
                try (var step = Workspace.step(ws)) {
                    Model.Output out = model.forward(Var.constant(Tensor.of(x, rows, train.c(), train.h(), train.w())));
                    // the bank takes z as the forward pass made it: copied now, since backward may hand
                    // z's buffer to a gradient once nothing reads it any more
                    if (bankSetting) System.arraycopy(out.z().data(), 0, zCopy, 0, b * cfg.dim());
                    Var l = bankSetting ? loss.apply(bank.similarity(out.z()), Pairs.bank(idx))
                            : loss.apply(Linear.apply(out.z(), out.z(), null), pairs);
                    value = l.data()[0];
                    if (!Float.isFinite(value)) throw diverged(folder, e, s, opt, "the loss is " + value, true);
                    opt.zeroGrad();
                    l.backward();
                    String bad = nonFinite(model.parameters(), true);
                    if (bad != null) throw diverged(folder, e, s, opt, bad + " after the backward pass", true);
                    opt.step();
                    bad = nonFinite(model.parameters(), false);
                    if (bad != null) throw diverged(folder, e, s, opt, bad + " after the optimizer step", true);
                    bad = nonFinite(model.buffers(), false);       // running statistics: no op computes them, no hint
                    if (bad != null) throw diverged(folder, e, s, opt, bad + " after the step", false);
                } catch (Anomaly.Detected d) {
                    throw diverged(folder, e, s, opt, d.getMessage(), false);
                } finally {
                    Anomaly.stop();
                }
                if (bankSetting) bank.update(idx, zCopy);
                optSteps++;
                lossSum += value;
                double dt = (System.nanoTime() - t0) * 1e-9;
                epochTrain += dt;
                epochViews += rows;
                listener.step(s, value, epochViews / epochTrain);
            }
            trainSeconds += epochTrain;
            trainViews += epochViews;
            Double knn = null;
            boolean monitor = cfg.evalEvery() > 0 && ((e + 1) % cfg.evalEvery() == 0 || e + 1 == cfg.epochs());
            if (monitor) knn = Evaluation.monitor(model, train, test, stats, bank);
            System.gc();   // the epoch's and the monitor's garbage (large arrays, straight into the old generation) before it piles up
            History.Row row = new History.Row(e + 1, lossSum / batches, opt.lr(), epochTrain > 0 ? epochViews / epochTrain : 0,
                    (System.nanoTime() - epochStart) * 1e-9, knn);
            history.add(row);
            folder.writeHistory(history);
            save(folder, cfg, new Checkpoint.State(e + 1, 0, 0, optSteps, history, trainSeconds, trainViews), model, opt, bank);
            lastCheckpoint = System.nanoTime();
            folder.log(String.format("epoch %d/%d: loss %.4f, lr %.4g, %.0f views/s, %.1f s%s", e + 1, cfg.epochs(), row.loss(), row.lr(),
                    row.viewsPerS(), row.seconds(), knn == null ? "" : String.format(", kNN %.2f%%", 100 * knn)));
            listener.epochEnd(row);
            if (Collapse.atCollapsedValue(row.loss(), collapsed)) {
                String warn = String.format(Locale.ROOT, "warning: epoch %d's loss %.4f sits at %.4f, the loss of an embedding collapsed to one point"
                        + " (every similarity 1): the run has probably collapsed (docs/reproduction.md, finding 7)", e + 1, row.loss(), collapsed);
                folder.log(warn);
                listener.note(warn);
            }
        }
        return new Trained(model, stats, history, trainSeconds, trainViews);
    }

    // A checkpoint that cannot be written (no space, a folder that turned read-only) ends the run
    // with one line naming the file and the reason; the previous checkpoint stays as it was.
    private static void save(RunFolder folder, RunConfig cfg, Checkpoint.State st, Model model, Optimizer opt, MemoryBank bank) throws IOException {
        try {
            Checkpoint.save(folder.checkpoints(), cfg, st, model, opt, bank);
        } catch (IOException e) {
            List<java.nio.file.Path> kept = Checkpoint.records(folder.checkpoints());
            throw new DataException("cannot write a checkpoint: " + e.getMessage() + "; "
                    + (kept.isEmpty() ? "there is no earlier checkpoint" : "the last good checkpoint " + kept.getFirst().getFileName() + " is kept")
                    + ", and --resume continues from it once the folder is writable and has space", e);
        }
    }

    // "the gradient of backbone.0.weight has NaN at element 7", "backbone.4.running_var (updated by
    // the forward pass) has Infinity at element 0", or null when every value is finite.
    static String nonFinite(List<Parameter> ps, boolean grads) {
        for (Parameter p : ps) {
            Tensor t = grads ? p.var().grad() : p.value();
            if (t == null) continue;
            int i = Anomaly.firstNonFinite(t.data());
            if (i < 0) continue;
            String what = grads ? "the gradient of " + p.name() : p.var().requiresGrad() ? p.name() : p.name() + " (updated by the forward pass)";
            return what + " has " + t.data()[i] + " at element " + i;
        }
        return null;
    }

    // The run stops (exit status 3) before anything of this step is saved: the checkpoints on disk
    // hold the last good state.
    private static Stop.Stopped diverged(RunFolder folder, int e, int s, Optimizer opt, String what, boolean opHint) {
        folder.log("diverged at epoch " + (e + 1) + " step " + s + ": " + what);
        String hint = opHint && !Anomaly.enabled() ? " (--detect-anomaly names the op where it first appears)" : "";
        return new Stop.Stopped(3, "training diverged at epoch " + (e + 1) + ", step " + s + ": " + what + hint + "; lr " + opt.lr()
                + ", try a smaller --lr. The last good checkpoint is kept in " + folder.checkpoints());
    }
}
