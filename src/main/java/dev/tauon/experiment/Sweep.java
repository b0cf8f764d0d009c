package dev.tauon.experiment;

import dev.tauon.data.AtomicFiles;
import dev.tauon.data.DataException;
import dev.tauon.data.Datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// A grid of pretraining runs (losses × temperatures × K × seeds over one base configuration) as a
// plain artefact: SWEEP/plan.jsonl holds one resolved configuration per line, entry i runs into
// SWEEP/runs/<id>/. Any scheduler can drive it by index; finished runs are skipped, unfinished
// ones resumed, so running the same sweep again just continues.
public final class Sweep {
    // losses, taus, ks (null entries: the default K), seeds
    public record Grid(List<String> losses, List<Double> taus, List<Integer> ks, List<Long> seeds) {
        public Grid {
            if (losses.isEmpty()) throw new DataException("the grid has no losses (--losses)");
            for (String l : losses) {
                if (!RunConfig.LOSSES.contains(l)) throw new DataException("unknown loss '" + l + "' in the grid (use " + String.join(", ", RunConfig.LOSSES) + ")");
            }
            if (seeds.isEmpty()) throw new DataException("the grid has no seeds (--seeds)");
            boolean needTau = losses.stream().anyMatch(l -> !l.equals("simple") && !l.equals("hardsimple"));
            if (needTau && taus.isEmpty()) throw new DataException("the grid has losses with a temperature but no temperatures (--taus)");
            for (Double t : taus) if (t == null || !(t > 0) || t.isInfinite()) throw new DataException("temperatures must be positive and finite, got " + t + " in --taus");
            if (ks.isEmpty()) ks = java.util.Collections.singletonList(null);
        }
    }

    public record Entry(int index, RunConfig config) {}

    private Sweep() {}

    public static Path plan(Path dir) { return dir.resolve("plan.jsonl"); }
    public static Path runs(Path dir) { return dir.resolve("runs"); }
    public static RunFolder folder(Path dir, RunConfig c) { return new RunFolder(runs(dir).resolve(c.id())); }

    // The combinations that make sense: τ only for losses that have one, K only for hard and
    // hardsimple; each resolved against its dataset. Order: loss, τ, K, seed.
    public static List<RunConfig> expand(Map<String, Object> base, Grid g) { return expand(base, g, new HashMap<>()); }

    // As above; data caches the datasets loaded to resolve the configurations (keyed by dataset,
    // folder and limit), so that several grids of one study load each dataset once.
    public static List<RunConfig> expand(Map<String, Object> base, Grid g, Map<String, Datasets.Split> data) {
        List<RunConfig> out = new ArrayList<>();
        for (String loss : g.losses()) {
            boolean tau = !loss.equals("simple") && !loss.equals("hardsimple"), k = loss.equals("hard") || loss.equals("hardsimple");
            for (Double t : tau ? g.taus() : java.util.Collections.<Double>singletonList(null)) {
                for (Integer kk : k ? g.ks() : java.util.Collections.<Integer>singletonList(null)) {
                    for (long seed : g.seeds()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("loss", loss);
                        if (t != null) m.put("tau", t);
                        if (kk != null) m.put("k", kk);
                        m.put("seed", seed);
                        RunConfig raw = RunConfig.fromMap(RunConfig.merge(base, m, "grid"), "grid");
                        String key = RunJob.datasetName(raw) + "|" + raw.dataDir() + "|" + raw.limit();
                        Datasets.Split s = data.computeIfAbsent(key, x -> RunJob.loadData(raw));
                        out.add(raw.resolve(RunJob.datasetName(raw), s.train().n(), s.train().c()));
                    }
                }
            }
        }
        return out;
    }

    static String lines(List<RunConfig> configs) {
        StringBuilder b = new StringBuilder();
        for (RunConfig c : configs) b.append(c.canonicalJson()).append('\n');
        return b.toString();
    }

    // Writes plan.jsonl (and the command that made it) unless the folder already holds this very
    // plan; a folder holding another grid is refused.
    public static void writePlan(Path dir, List<RunConfig> configs, String command) throws IOException {
        String text = lines(configs);
        Path p = plan(dir);
        if (Files.isRegularFile(p)) {
            String old = Files.readString(p, StandardCharsets.UTF_8);
            if (!old.equals(text)) {
                throw new DataException(dir + " holds another grid (its plan.jsonl has " + old.lines().count() + " entries that differ from these "
                        + configs.size() + "); choose another --dir, or remove the folder to start over");
            }
            return;
        }
        if (Files.isDirectory(runs(dir))) {
            try (var s = Files.list(runs(dir))) {
                if (s.anyMatch(f -> !f.getFileName().toString().startsWith("."))) {
                    throw new DataException(dir + " holds runs but no plan.jsonl: not a sweep folder this command can continue; choose another --dir");
                }
            }
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(p, text);
        AtomicFiles.writeString(dir.resolve("commands.txt"), command + "\n");
    }

    public static List<Entry> readPlan(Path dir) throws IOException {
        Path p = plan(dir);
        if (!Files.isRegularFile(p)) throw new DataException(dir + ": no plan.jsonl (make one with 'tauon sweep plan ... --dir " + dir + "')");
        List<Entry> out = new ArrayList<>();
        int i = 0;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            String where = p + " line " + (i + 1);
            out.add(new Entry(i++, RunConfig.fromMap(JsonFiles.parseObject(line, where), where)));
        }
        if (out.isEmpty()) throw new DataException(p + ": empty plan");
        return out;
    }

    // Entry i of the plan, run (or resumed) into runs/<id>/; a finished run returns at once.
    public static RunJob.Outcome runEntry(Path dir, int index, double checkpointMinutes, Pretrain.Listener listener) throws IOException {
        List<Entry> plan = readPlan(dir);
        if (index < 0 || index >= plan.size()) throw new DataException("--index " + index + " is outside the plan's 0.." + (plan.size() - 1));
        RunConfig c = plan.get(index).config();
        return RunJob.execute(c, new RunJob.Options(runs(dir), c.id(), true, checkpointMinutes), listener);
    }

    // Where a run stands, read from the sweep folder alone (never the scheduler): state is one of
    // STATES; detail says more (the epoch, the metrics, the reason from the log).
    public record RunState(int index, RunConfig config, String state, String detail) {
        public static final List<String> STATES = List.of("pending", "starting", "running", "interrupted", "stalled", "failed", "done");

        public String line() {
            return String.format("%3d  %-12s %-10s tau %-5s k %-5s seed %d  %s%s", index, config.id(), config.loss(),
                    config.tau() == null ? "-" : RunConfig.trim(config.tau()), config.k() == null ? "-" : config.k(), config.seed(),
                    state, detail.isEmpty() ? "" : (state.equals("failed") ? ": " : " ") + detail);
        }
    }

    // A run that wrote nothing (log, history, checkpoint) for this long is reported stalled.
    static final long SILENT_MILLIS = 15 * 60_000;

    public static List<RunState> status(Path dir) throws IOException {
        List<RunState> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Entry e : readPlan(dir)) out.add(state(dir, e, now));
        return out;
    }

    static RunState state(Path dir, Entry e, long now) throws IOException {
        RunConfig c = e.config();
        RunFolder f = folder(dir, c);
        if (f.isDone()) {
            try {
                Map<String, Object> m = JsonFiles.parseObject(Files.readString(f.metrics(), StandardCharsets.UTF_8), f.metrics().toString());
                return new RunState(e.index(), c, "done", String.format("(kNN %.2f%%, linear %.2f%%)", 100 * ((Number) m.get("knn_accuracy")).doubleValue(),
                        100 * ((Number) m.get("linear_accuracy")).doubleValue()));
            } catch (IOException | RuntimeException ex) {
                return new RunState(e.index(), c, "done", "(metrics.json unreadable)");
            }
        }
        if (!Files.isRegularFile(f.log())) return beforeTheRun(dir, e);
        List<String> log = Files.readAllLines(f.log(), StandardCharsets.UTF_8);
        String last = log.isEmpty() ? "" : withoutStamp(log.getLast());
        int finished = Files.isRegularFile(f.history()) ? Math.max(0, Files.readAllLines(f.history(), StandardCharsets.UTF_8).size() - 1) : 0;
        String epoch = finished < c.epochs() ? "epoch " + (finished + 1) + "/" + c.epochs() : "evaluating";
        if (last.startsWith("failed: ")) return new RunState(e.index(), c, "failed", last.substring("failed: ".length()));
        if (last.startsWith("stopped")) return new RunState(e.index(), c, "interrupted", "(" + last + ")");
        long lastWrite = Math.max(mtime(f.log()), Math.max(mtime(f.history()), mtime(f.checkpoints())));
        if (now - lastWrite > SILENT_MILLIS) {
            return new RunState(e.index(), c, "stalled", String.format("(%s; nothing written for %d min: killed, or still in a long stretch without a checkpoint)",
                    epoch, (now - lastWrite) / 60_000));
        }
        return new RunState(e.index(), c, "running", "(" + epoch + ")");
    }

    // No run log yet: pending, or a scheduler's attempt that left a log (SWEEP/slurm/<job>_<i>.out)
    // but no run folder: starting when java has said nothing yet, else failed with its last line.
    private static RunState beforeTheRun(Path dir, Entry e) throws IOException {
        Path slurm = dir.resolve("slurm"), newest = null;
        if (Files.isDirectory(slurm)) {
            try (var s = Files.list(slurm)) {
                for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+_" + e.index() + "\\.out")).toList()) {
                    if (newest == null || mtime(p) > mtime(newest) || mtime(p) == mtime(newest) && job(p) > job(newest)) newest = p;
                }
            }
        }
        if (newest == null) return new RunState(e.index(), e.config(), "pending", "");
        String said = "";
        for (String l : Files.readAllLines(newest, StandardCharsets.UTF_8)) {
            if (!l.isBlank() && !l.startsWith("WARNING:")) said = l.strip();   // the JDK's incubator-module notice
        }
        String where = dir.relativize(newest).toString();
        return said.isEmpty() ? new RunState(e.index(), e.config(), "starting", "(" + where + ")")
                : new RunState(e.index(), e.config(), "failed", said + " (" + where + ", before the run folder was written)");
    }

    private static long job(Path slurmLog) {   // <job>_<index>.out: a later submission has a larger job id
        String n = slurmLog.getFileName().toString();
        try {
            return Long.parseLong(n.substring(0, n.indexOf('_')));
        } catch (NumberFormatException ex) {
            return -1;
        }
    }

    private static String withoutStamp(String line) {   // RunFolder.log's "yyyy-MM-dd HH:mm:ss  "
        return line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  .*") ? line.substring(21) : line;
    }

    private static long mtime(Path p) throws IOException {
        return Files.exists(p) ? Files.getLastModifiedTime(p).toMillis() : 0;
    }
}
