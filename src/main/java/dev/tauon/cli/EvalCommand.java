package dev.tauon.cli;

import dev.tauon.data.DataException;
import dev.tauon.experiment.RunConfig;
import dev.tauon.experiment.RunFolder;
import dev.tauon.experiment.RunJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

// `tauon eval RUN_DIR`: the final evaluation again, from a run's saved weights and configuration.
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a saved run (its weights.safetensors and config.json) on the test split: kNN, linear probe, uniformity, tolerance, ...",
                "Writes RUN_DIR/eval.json (metrics.json stays as the run wrote it)."})
final class EvalCommand implements Runnable {
    @Parameters(paramLabel = "RUN_DIR", description = "a run folder written by tauon pretrain")
    Path dir;

    @Option(names = "--probe", paramLabel = "P", description = "sgd or ridge (default: the run's)")
    String probe;

    @Option(names = "--probe-epochs", paramLabel = "E", description = "epochs of the SGD probe (default: the run's)")
    Integer probeEpochs;

    @Option(names = "--json", description = "print one JSON object on stdout")
    boolean json;

    @Mixin ThreadsOption threads;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        threads.apply();
        RunFolder folder = new RunFolder(dir);
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": no such run folder");
        if (!Files.isRegularFile(folder.weights())) throw new DataException(dir + ": has no weights.safetensors (the run has not finished; tauon pretrain --resume finishes it)");
        PrintWriter out = spec.commandLine().getOut();
        try {
            Map<String, Object> cm = folder.readConfig();
            if (cm == null) throw new DataException(dir + ": has no config.json");
            if (probe != null) cm.put("probe", probe);
            if (probeEpochs != null) cm.put("probe_epochs", probeEpochs);
            RunConfig cfg = RunConfig.fromMap(cm, folder.config().toString());
            try (var scope = RunOptions.backendScope(cfg.backend())) {
                Map<String, Object> m = RunJob.evaluateSaved(cfg, folder, dir.toAbsolutePath().getParent().resolve(".cache"));
                if (json) out.println(Json.line(m));
                else out.print(PretrainCommand.summary(new RunJob.Outcome(folder, cfg, m, true)));
            }
        } catch (IOException e) {
            throw new DataException(dir + ": " + e.getMessage(), e);
        }
        out.flush();
    }
}
