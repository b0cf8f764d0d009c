package dev.tauon.cli;

import dev.tauon.data.DataException;
import dev.tauon.experiment.RunConfig;
import dev.tauon.experiment.Stop;
import dev.tauon.experiment.Sweep;
import dev.tauon.experiment.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// `tauon demo`: the paper's temperature findings on a laptop in minutes. A small grid (the
// ordinary loss at four temperatures and the simple loss, SimCLR setting) on the embedded
// Fashion-MNIST subset, then the report. The recipe was chosen by measurement (docs/pretraining.md).
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Pretrain InfoNCE at tau 0.2, 0.3, 0.5, 1.0 and the simple loss on the embedded Fashion-MNIST subset",
                "(6,000 training images), then write the report: Table 1, plots and a verdict for each finding. About 10 minutes on 2 cores.",
                "Interrupted? Run it again: it continues where it stopped."})
final class DemoCommand implements Runnable {
    static final List<Double> TAUS = List.of(0.2, 0.3, 0.5, 1.0);
    static final int EPOCHS = 7, BATCH = 64;

    @Option(names = "--full", description = "the same grid on the full Fashion-MNIST (60,000 images; hours on 2 cores)")
    boolean full;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the demo's sweep and report go (default: runs/demo, or runs/demo-full)")
    Path dir;

    @Option(names = "--json", description = "print one JSON object at the end: report folder, findings, seconds")
    boolean json;

    @Mixin ThreadsOption threads;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        long t0 = System.nanoTime();
        threads.apply();
        Stop.install();
        Path d = dir != null ? dir : Path.of(full ? "runs/demo-full" : "runs/demo");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter info = json ? new PrintWriter(System.err, true) : out;
        Map<String, Object> base = RunConfig.defaults();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", full ? "fashion-mnist" : "fashion-mnist-small");
        m.put("setting", "simclr");
        m.put("epochs", EPOCHS);
        m.put("batch", BATCH);
        m.put("eval_every", 0);          // kNN at the end only: the monitor cost a fifth of the budget
        m.put("probe_epochs", 20);
        try {
            List<RunConfig> plan = Sweep.expand(RunConfig.merge(base, m, "demo"), new Sweep.Grid(List.of("infonce", "simple"), TAUS, new ArrayList<>(), List.of(0L)));
            Sweep.writePlan(d, plan, "tauon demo" + (full ? " --full" : ""));
            info.printf("tauon demo: %d runs on %s (SimCLR setting, %d epochs, batch %d, backend %s) into %s%n", plan.size(), m.get("dataset"), EPOCHS, BATCH,
                    plan.getFirst().backend(), d);
            info.flush();
            SweepCommand.runAll(d, plan.size(), 10, info);
        } catch (IOException e) {
            throw new DataException("I/O error: " + e.getMessage(), e);
        }
        Report.Summary s = ReportStep.write(d, info);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        info.printf("demo finished in %s%n", SweepCommand.duration(seconds));
        info.flush();
        if (json) {
            Map<String, Object> findings = new LinkedHashMap<>();
            s.verdicts().forEach((k, v) -> findings.put(String.valueOf(k), v));
            out.println(Json.line(Json.object("report", s.out().toString(), "report_html", s.out().resolve("report.html").toString(),
                    "runs", s.runs(), "findings", findings, "seconds", Math.round(seconds * 10) / 10.0)));
            out.flush();
        }
    }
}
