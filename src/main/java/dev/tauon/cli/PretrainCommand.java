package dev.tauon.cli;

import dev.tauon.data.DataException;
import dev.tauon.experiment.History;
import dev.tauon.experiment.Pretrain;
import dev.tauon.experiment.Progress;
import dev.tauon.experiment.RunConfig;
import dev.tauon.experiment.RunJob;
import dev.tauon.experiment.Stop;
import dev.tauon.kernel.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

// `tauon pretrain`: one contrastive pretraining run (docs/paper.md §1-4) from flags or a YAML file,
// into its own run folder, with checkpoints, --resume, the final evaluation and baselines.
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Contrastive pretraining of one configuration, then its evaluation (kNN, linear probe, uniformity, tolerance, ...).",
                "Writes runs/NAME/: config.json, history.csv, metrics.json, log.txt, checkpoint/, weights.safetensors, embeddings.npy, labels.npy.",
                "Flags override a --config YAML file; unset values take the defaults shown."})
final class PretrainCommand implements Runnable {
    @Mixin RunOptions run;

    @Option(names = "--runs", paramLabel = "DIR", description = "folder that holds run folders (default: ${DEFAULT-VALUE})")
    Path runs = Path.of("runs");

    @Option(names = "--name", paramLabel = "NAME", description = "run folder name (default: setting-loss-tTAU-sSEED-ID from the configuration)")
    String name;

    @Option(names = "--resume", description = "continue the run in runs/NAME from its newest valid checkpoint (or start it); a finished run is not redone")
    boolean resume;

    @Option(names = "--checkpoint-minutes", paramLabel = "M",
            description = "also checkpoint within an epoch every M minutes, fractions allowed; 0: only at epoch ends (default: ${DEFAULT-VALUE})")
    double checkpointMinutes = 10;

    @Option(names = "--detect-anomaly", description = "check every op's output and gradient for NaN or Inf and name the op where one first appears "
            + "(slower; the results are the same). Without it the loss, gradients and weights are checked once a step")
    boolean detectAnomaly;

    @Option(names = "--json", description = "print one final JSON object on stdout (everything else goes to stderr)")
    boolean json;

    @Mixin ThreadsOption threads;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        threads.apply();
        if (!(checkpointMinutes >= 0) || Double.isInfinite(checkpointMinutes)) throw new UserError("--checkpoint-minutes must be >= 0, got " + checkpointMinutes);
        RunConfig cfg = run.config();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter info = json ? new PrintWriter(System.err, true) : out;
        Stop.install();
        RunJob.Outcome o;
        try (var scope = RunOptions.backendScope(cfg.backend())) {
            info.println(RunOptions.describe(cfg) + ", " + Parallel.threads() + " threads");
            info.flush();
            o = RunJob.execute(cfg, new RunJob.Options(runs, name, resume, checkpointMinutes, detectAnomaly), new ConsoleListener(info));
        } catch (IOException e) {
            throw new DataException("I/O error: " + e.getMessage(), e);
        }
        if (o.alreadyDone()) info.println(o.folder().dir() + " is already finished; its metrics:");
        info.print(summary(o));
        info.flush();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : new String[] {"run_id", "dataset", "setting", "loss", "tau", "k", "seed", "epochs", "knn_accuracy", "linear_accuracy",
                    "uniformity", "tolerance", "alignment", "pos_similarity", "neg1_similarity", "neg10_similarity", "hardness_entropy",
                    "views_per_s", "seconds"}) {
                m.put(k, o.metrics().get(k));
            }
            m.put("run_dir", o.folder().dir().toString());
            m.put("baselines", o.metrics().get("baselines"));
            out.println(Json.line(m));
            out.flush();
        }
    }

    static String summary(RunJob.Outcome o) {
        Map<String, Object> m = o.metrics();
        Map<?, ?> b = m.get("baselines") instanceof Map<?, ?> x ? x : Map.of();
        StringBuilder s = new StringBuilder();
        s.append(String.format("run %s (id %s): %s epochs in %.0f s, %.0f views/s%n", o.folder().dir(), m.get("run_id"), m.get("epochs"),
                num(m.get("seconds")), num(m.get("views_per_s"))));
        s.append(String.format("%-34s %10s %10s %10s%n", "test split", "this run", "untrained", "raw pixels"));
        s.append(String.format("%-34s %9.2f%% %9.2f%% %9.2f%%%n", "kNN top-1 (k 200, sigma 0.07, z)", 100 * num(m.get("knn_accuracy")),
                100 * num(b.get("untrained_knn")), 100 * num(b.get("raw_pixel_knn"))));
        s.append(String.format("%-34s %9.2f%% %9.2f%% %10s%n", "linear probe top-1 (h)", 100 * num(m.get("linear_accuracy")),
                100 * num(b.get("untrained_linear")), "-"));
        s.append(String.format("%-34s %10.3f%n", "uniformity -L_unif (t 2, z)", num(m.get("uniformity"))));
        s.append(String.format("%-34s %10.3f%n", "tolerance (same-class mean s)", num(m.get("tolerance"))));
        s.append(String.format("%-34s %10.3f%n", "alignment (2 augmented views)", num(m.get("alignment"))));
        s.append(String.format("%-34s %10.3f%n", "mean s_ii (positive pairs)", num(m.get("pos_similarity"))));
        s.append(String.format("%-34s %10.3f / %.3f%n", "mean nearest / 10th negative s", num(m.get("neg1_similarity")), num(m.get("neg10_similarity"))));
        if (m.get("hardness_entropy") != null) s.append(String.format("%-34s %10.3f nats%n", "hardness entropy H(r_i) at tau", num(m.get("hardness_entropy"))));
        return s.toString();
    }

    static double num(Object o) { return o instanceof Number n ? n.doubleValue() : Double.NaN; }

    // A bar per epoch on a terminal; one line per epoch elsewhere.
    static final class ConsoleListener implements Pretrain.Listener {
        private final PrintWriter info;
        private Progress bar;
        private int epoch, epochs;

        ConsoleListener(PrintWriter info) { this.info = info; }

        @Override public void epochStart(int epoch, int epochs, int batches, int firstStep) {
            this.epoch = epoch;
            this.epochs = epochs;
            bar = Progress.bar(String.format("epoch %d/%d", epoch + 1, epochs), batches, firstStep);
        }

        @Override public void step(int step, float loss, double viewsPerS) {
            bar.step(1);
            bar.message(String.format("loss %.4f, %.0f views/s", loss, viewsPerS));
        }

        @Override public void epochEnd(History.Row r) {
            bar.close();
            info.printf("epoch %d/%d: loss %.4f, lr %.4g, %.0f views/s, %.0f s%s%n", r.epoch(), epochs, r.loss(), r.lr(), r.viewsPerS(), r.seconds(),
                    r.knn() == null ? "" : String.format(", kNN %.2f%% (test)", 100 * r.knn()));
            info.flush();
        }

        @Override public void note(String line) {
            if (bar != null) bar.close();
            info.println(line);
            info.flush();
        }
    }
}
