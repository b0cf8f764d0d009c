package dev.tauon.cli;

import dev.tauon.data.DataException;
import dev.tauon.experiment.Pretrain;
import dev.tauon.experiment.RunConfig;
import dev.tauon.experiment.RunJob;
import dev.tauon.experiment.Slurm;
import dev.tauon.experiment.Stop;
import dev.tauon.experiment.Sweep;
import dev.tauon.kernel.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

// `tauon sweep`: a grid of pretraining runs. Alone it plans, runs every entry (skipping finished
// ones, resuming unfinished ones) and writes the report; `plan`, `run --index`, `status` and
// `slurm` are the pieces a scheduler drives.
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a grid of pretraining runs (losses x temperatures x K x seeds) into SWEEP/runs/<id>/, then write the report.",
                "Re-running the same command after any interruption continues where it stopped."},
        subcommands = {SweepCommand.Plan.class, SweepCommand.Run.class, SweepCommand.Status.class, SweepCommand.SlurmCmd.class})
final class SweepCommand implements Runnable {
    @Mixin GridOptions grid;

    @Option(names = "--checkpoint-minutes", paramLabel = "M", description = "checkpoint within an epoch every M minutes (default: ${DEFAULT-VALUE})")
    double checkpointMinutes = 10;

    @Mixin ThreadsOption threads;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        threads.apply();
        PrintWriter out = spec.commandLine().getOut();
        Stop.install();
        try {
            List<RunConfig> plan = grid.planAndWrite(spec);
            runAll(grid.dir, plan.size(), checkpointMinutes, out);
            ReportStep.write(grid.dir, out);
        } catch (IOException e) {
            throw new DataException("I/O error: " + e.getMessage(), e);
        }
    }

    // Runs every entry of the plan in order, with progress over the grid above each run's own.
    static void runAll(Path dir, int n, double checkpointMinutes, PrintWriter out) throws IOException {
        long start = System.nanoTime();
        int ran = 0;
        for (int i = 0; i < n; i++) {
            List<Sweep.Entry> plan = Sweep.readPlan(dir);
            RunConfig c = plan.get(i).config();
            boolean done = Sweep.folder(dir, c).isDone();
            double elapsed = (System.nanoTime() - start) * 1e-9;
            String eta = ran == 0 ? "" : String.format(", ETA %s", duration(elapsed / ran * remaining(dir, plan, i)));
            out.printf("== run %d of %d: %s loss %s%s%s seed %d, backend %s%s%s%n", i + 1, n, c.id(), c.loss(), c.tau() == null ? "" : ", tau " + RunConfig.trim(c.tau()),
                    c.k() == null ? "" : ", K " + c.k(), c.seed(), c.backend(), done ? " (done, skipped)" : "", done ? "" : eta);
            out.flush();
            if (done) continue;
            RunJob.Outcome o;
            try (var scope = RunOptions.backendScope(c.backend())) {
                o = Sweep.runEntry(dir, i, checkpointMinutes, new PretrainCommand.ConsoleListener(out));
            }
            out.printf("   kNN %.2f%%, linear %.2f%%, -L_unif %.3f, tolerance %.3f%n", 100 * PretrainCommand.num(o.metrics().get("knn_accuracy")),
                    100 * PretrainCommand.num(o.metrics().get("linear_accuracy")), PretrainCommand.num(o.metrics().get("uniformity")),
                    PretrainCommand.num(o.metrics().get("tolerance")));
            out.flush();
            ran++;
            System.gc();   // one run's data and buffers are garbage now: give the memory back before the next
        }
    }

    private static int remaining(Path dir, List<Sweep.Entry> plan, int from) {
        int r = 0;
        for (int j = from; j < plan.size(); j++) if (!Sweep.folder(dir, plan.get(j).config()).isDone()) r++;
        return r;
    }

    static String duration(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
    }

    // The grid flags and the base run configuration.
    static final class GridOptions {
        @Option(names = "--dir", paramLabel = "SWEEP", description = "the sweep folder (plan.jsonl, runs/, the report); required")
        Path dir;

        @Option(names = "--grid", paramLabel = "FILE", description = "a YAML grid: losses, taus, ks, seeds (lists) and any run setting; several grids in one study under 'grids:' (see docs/guide.md)")
        Path gridFile;

        @Option(names = "--losses", paramLabel = "L,L", split = ",", description = "losses (default: infonce)")
        List<String> losses;

        @Option(names = "--taus", paramLabel = "T,T", split = ",", description = "temperatures, for the losses that have one (default: 0.2)")
        List<Double> taus;

        @Option(names = "--ks", paramLabel = "K,K", split = ",", description = "K for hard and hardsimple (default: 8%% of the negatives)")
        List<Integer> ks;

        @Option(names = "--seeds", paramLabel = "S,S", split = ",", description = "seeds (default: 0)")
        List<Long> seeds;

        @Mixin RunOptions base;

        // The grid resolved and written as plan.jsonl (unless the folder holds it already).
        List<RunConfig> planAndWrite(picocli.CommandLine.Model.CommandSpec spec) throws IOException {
            if (dir == null) throw new UserError("--dir SWEEP is required: the folder that holds the sweep's plan, runs and report");
            for (String[] f : new String[][] {{"--loss", str(base.loss), "--losses"}, {"--tau", str(base.tau), "--taus"}, {"--k", str(base.k), "--ks"},
                    {"--seed", str(base.seed), "--seeds"}}) {
                if (f[1] != null) throw new UserError(f[0] + " names one value, but a sweep takes lists: use " + f[2] + " instead");
            }
            GridFile f = gridFile == null ? GridFile.NONE : GridFile.read(gridFile, RunOptions.readYaml(gridFile));
            Map<String, Object> top = RunConfig.defaults();
            if (gridFile != null) top = RunConfig.merge(top, f.settings(), gridFile.toString());
            List<RunConfig> plan = new ArrayList<>();
            java.util.Set<String> ids = new java.util.HashSet<>();
            Map<String, dev.tauon.data.Datasets.Split> data = new java.util.HashMap<>();   // each dataset loaded once for all pieces
            for (GridFile p : f.pieces()) {       // the file's grids: in order (or the file itself), lists: flags > piece > file > defaults
                Map<String, Object> m = p == f ? top : RunConfig.merge(top, p.settings(), gridFile.toString());
                m = RunConfig.merge(m, base.flags(), "flags");
                Sweep.Grid g = new Sweep.Grid(
                        losses != null ? losses : first(p.losses(), f.losses(), List.of("infonce")),
                        taus != null ? taus : first(p.taus(), f.taus(), List.of(0.2)),
                        new ArrayList<>(ks != null ? ks : first(p.ks(), f.ks(), List.of())),
                        seeds != null ? seeds : first(p.seeds(), f.seeds(), List.of(0L)));
                for (RunConfig c : Sweep.expand(m, g, data)) if (ids.add(c.id())) plan.add(c);
            }
            Sweep.writePlan(dir, plan, "tauon " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            return plan;
        }

        private static <T> List<T> first(List<T> a, List<T> b, List<T> c) { return a != null ? a : b != null ? b : c; }

        private static String str(Object o) { return o == null ? null : String.valueOf(o); }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write the grid as SWEEP/plan.jsonl (one resolved run configuration per line) without running it.")
    static final class Plan implements Runnable {
        @Mixin GridOptions grid;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override public void run() {
            try {
                List<RunConfig> plan = grid.planAndWrite(spec);
                spec.commandLine().getOut().printf("%s: %d runs (tauon sweep run --dir %s --index 0..%d)%n", Sweep.plan(grid.dir), plan.size(), grid.dir, plan.size() - 1);
            } catch (IOException e) {
                throw new DataException("I/O error: " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run entry I of SWEEP/plan.jsonl (resuming it from its checkpoint; a finished run returns at once).",
                    "On SIGTERM, SIGINT or SIGUSR1 it writes a checkpoint and exits with 143, 130 or 138."})
    static final class Run implements Runnable {
        @Option(names = "--dir", paramLabel = "SWEEP", required = true, description = "the sweep folder")
        Path dir;

        @Option(names = "--index", paramLabel = "I", required = true, description = "the plan entry, from 0")
        int index;

        @Option(names = "--checkpoint-minutes", paramLabel = "M", description = "checkpoint within an epoch every M minutes (default: ${DEFAULT-VALUE})")
        double checkpointMinutes = 10;

        @Mixin ThreadsOption threads;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override public void run() {
            threads.apply();
            Stop.install();
            PrintWriter out = spec.commandLine().getOut();
            try {
                List<Sweep.Entry> plan = Sweep.readPlan(dir);
                String backend = "cpu";
                if (index >= 0 && index < plan.size()) {          // runEntry refuses any other index
                    RunConfig c = plan.get(index).config();
                    backend = c.backend();
                    out.println("run " + (index + 1) + " of " + plan.size() + ": " + c.id() + ", backend " + backend);
                }
                RunJob.Outcome o;
                try (var scope = RunOptions.backendScope(backend)) {
                    o = Sweep.runEntry(dir, index, checkpointMinutes, new PretrainCommand.ConsoleListener(out));
                }
                out.print(PretrainCommand.summary(o));
            } catch (IOException e) {
                throw new DataException("I/O error: " + e.getMessage(), e);
            }
            out.flush();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Each run of a sweep: pending, starting, running (epoch k/E), interrupted (stopped by a signal, checkpoint written),",
                    "stalled (nothing written for 15 minutes), failed with the reason from its log, or done. Reads only the sweep folder."})
    static final class Status implements Runnable {
        @Parameters(paramLabel = "SWEEP", description = "the sweep folder")
        Path dir;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override public void run() {
            try {
                List<Sweep.RunState> runs = Sweep.status(dir);
                PrintWriter out = spec.commandLine().getOut();
                Map<String, Integer> count = new java.util.LinkedHashMap<>();
                for (Sweep.RunState r : runs) {
                    out.println(r.line());
                    count.merge(r.state(), 1, Integer::sum);
                }
                List<String> others = new ArrayList<>();
                for (String s : Sweep.RunState.STATES) if (!s.equals("done") && count.containsKey(s)) others.add(count.get(s) + " " + s);
                out.printf("%d of %d runs done%s%n", count.getOrDefault("done", 0), runs.size(), others.isEmpty() ? "" : "; " + String.join(", ", others));
                out.flush();
            } catch (IOException e) {
                throw new DataException("I/O error: " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "slurm", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Plan the grid and submit it to Slurm as a job array (sbatch): each task runs 'tauon sweep run --index $SLURM_ARRAY_TASK_ID',",
                    "checkpoints on USR1 (120 s before the time limit) or TERM and is requeued; see docs/cluster.md."})
    static final class SlurmCmd implements Runnable {
        @Mixin GridOptions grid;

        @Option(names = "--parallel", paramLabel = "P", description = "array tasks running at once (default: ${DEFAULT-VALUE})")
        int parallel = 4;

        @Option(names = "--partition", paramLabel = "NAME", description = "Slurm partition (default: the cluster's)")
        String partition;

        @Option(names = "--time", paramLabel = "HH:MM:SS", description = "time limit per task (default: the partition's)")
        String time;

        @Option(names = "--mem", paramLabel = "SIZE", description = "memory per task, e.g. 8G (default: the partition's)")
        String memory;

        @Option(names = "--checkpoint-minutes", paramLabel = "M", description = "each task checkpoints every M minutes within an epoch (default: ${DEFAULT-VALUE})")
        double checkpointMinutes = 10;

        @Option(names = "--dry-run", description = "only write the plan and SWEEP/slurm/tauon.sbatch, and print the sbatch command; submit nothing")
        boolean dryRun;

        @Mixin ThreadsOption threads;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override public void run() {
            threads.apply();   // --threads becomes --cpus-per-task
            PrintWriter out = spec.commandLine().getOut();
            try {
                List<RunConfig> plan = grid.planAndWrite(spec);
                Path jar = Path.of(RunJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!Files.isRegularFile(jar)) throw new UserError("sweep slurm needs tauon as a jar (target/tauon.jar, as ./tauon runs it), not " + jar);
                List<String> flags = new ArrayList<>();
                for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                    if (a.startsWith("-XX:") || a.startsWith("-Xm") || a.startsWith("-Xs") || a.startsWith("-D")) flags.add(a);
                }
                Slurm.Options o = new Slurm.Options(grid.dir.toAbsolutePath(), plan.size(), parallel, Parallel.threads(), checkpointMinutes,
                        partition, time, memory, jar, Path.of(System.getProperty("java.home")), flags);
                Path script = Slurm.write(o);
                out.printf("%s: %d runs, %d at a time, %d CPUs each%n", script, plan.size(), parallel, Parallel.threads());
                if (dryRun) out.printf("not submitted (--dry-run); submit it with: sbatch %s%n", Slurm.shellWord(script.toString()));
                else out.printf("submitted job %s; follow it with 'tauon sweep status %s'%n", Slurm.submit(script), grid.dir);
                out.flush();
            } catch (IOException e) {
                throw new UserError(e.getMessage(), e);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
