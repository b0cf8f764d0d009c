package dev.tauon.experiment.report;

import dev.tauon.data.DataException;
import dev.tauon.experiment.report.Result.Baselines;
import dev.tauon.experiment.report.Result.Epoch;
import dev.tauon.experiment.report.Result.Profile;
import dev.tauon.experiment.report.Result.Quartiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

// Finds the run folders of a sweep (DIR/runs/*) or of a folder of runs (DIR/*/config.json) and
// loads the finished ones (DONE present) from config.json, metrics.json and history.csv, as
// docs/run-format.md lays them out. A folder without DONE is listed as unfinished, not loaded.
public final class Results {
    public static final String[] RANKS = {"pos", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10"};

    // A run folder without DONE: its path relative to DIR and what is known of it.
    public record Unfinished(String folder, String why) {}

    // results sorted by (dataset, setting, loss, tau, k, seed, run id).
    public record Loaded(Path dir, boolean sweep, List<Result> results, List<Unfinished> unfinished) {}

    public static final Comparator<Result> ORDER = Comparator.comparing(Result::dataset).thenComparing(Result::setting)
            .thenComparing(Result::loss).thenComparingDouble(Result::tau).thenComparingInt(Result::k)
            .thenComparingLong(Result::seed).thenComparing(Result::runId);

    private Results() {}

    public static Loaded load(Path dir) {
        if (!Files.exists(dir)) throw new DataException(dir + ": no such folder");
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": not a folder (give a sweep folder or a folder of run folders)");
        boolean sweep = Files.isDirectory(dir.resolve("runs"));
        List<Path> folders = runFolders(dir, sweep);
        if (folders.isEmpty()) {
            throw new DataException(dir + ": no run folders (expected a sweep folder with runs/<id>/, or folders with config.json)");
        }
        List<Result> results = new ArrayList<>();
        List<Unfinished> unfinished = new ArrayList<>();
        for (Path run : folders) {
            String name = dir.relativize(run).toString().replace('\\', '/');
            if (name.isEmpty()) name = run.getFileName() == null ? run.toString() : run.getFileName().toString();
            if (Files.isRegularFile(run.resolve("DONE"))) results.add(read(run, name));
            else unfinished.add(unfinished(run, name));
        }
        results.sort(ORDER);
        return new Loaded(dir, sweep, List.copyOf(results), List.copyOf(unfinished));
    }

    // A sweep: every folder under runs/ but hidden ones (a planned run may not have started). Otherwise the
    // folders holding a config.json, or DIR itself when it is one run folder.
    private static List<Path> runFolders(Path dir, boolean sweep) {
        Path parent = sweep ? dir.resolve("runs") : dir;
        try (Stream<Path> s = Files.list(parent)) {
            List<Path> found = s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))      // runs/.cache holds the baselines
                    .filter(p -> sweep || Files.isRegularFile(p.resolve("config.json")))
                    .sorted().toList();
            if (found.isEmpty() && !sweep && Files.isRegularFile(dir.resolve("config.json"))) return List.of(dir);
            return found;
        } catch (IOException e) {
            throw new DataException(parent + ": cannot list (" + e.getMessage() + ")");
        }
    }

    static Result read(Path run, String name) {
        JsonFile configFile = JsonFile.read(run.resolve("config.json"));
        JsonFile c = configFile.object("config");
        String loss = c.string("loss");
        double tau = c.number("tau");
        if (c.has("tau") && !(tau > 0)) throw c.error("tau", "is " + tau + ", expected a positive temperature or null");
        long k = c.optInteger("k", 0);
        if (k < 0) throw c.error("k", "is " + k + ", expected a positive count or null");
        long seed = c.integer("seed");
        long epochs = c.integer("epochs");

        JsonFile m = JsonFile.read(run.resolve("metrics.json"));
        if (m.has("loss") && !m.string("loss").equals(loss)) throw m.error("loss", "is " + m.string("loss") + " but config.json says " + loss);
        if (m.has("seed") && m.integer("seed") != seed) throw m.error("seed", "is " + m.integer("seed") + " but config.json says " + seed);
        if (m.has("tau") && !(Math.abs(m.number("tau") - tau) <= 1e-6 * Math.abs(tau))) throw m.error("tau", "is " + m.number("tau") + " but config.json says " + tau);
        double[] metrics = new double[Metric.values().length];
        for (Metric metric : Metric.values()) {
            double v = m.number(metric.key);
            if (metric.isAccuracy() && (v < 0 || v > 1)) throw m.error(metric.key, "is " + v + ", expected a fraction in [0,1]");
            metrics[metric.ordinal()] = v;
        }
        String runId = configFile.optString("id");
        if (runId == null) runId = m.optString("run_id");
        if (runId == null) runId = name;
        return new Result(name, runId, c.string("dataset"), c.string("setting"), loss, tau, (int) k, seed, (int) epochs,
                m.optString("tauon_version"), metrics, ranks(m), profile(m), history(run.resolve("history.csv")), baselines(m));
    }

    private static List<Quartiles> ranks(JsonFile m) {
        JsonFile ranks = m.optObject("ranks");
        if (ranks == null) return List.of();
        List<Quartiles> out = new ArrayList<>();
        for (String r : RANKS) {
            JsonFile q = ranks.optObject(r);
            if (q == null) continue;
            out.add(new Quartiles(r, q.requiredNumber("min"), q.requiredNumber("q1"), q.requiredNumber("median"),
                    q.requiredNumber("q3"), q.requiredNumber("max")));
        }
        return List.copyOf(out);
    }

    private static Profile profile(JsonFile m) {
        JsonFile p = m.optObject("hardness_profile");
        if (p == null) return null;
        double[] s = p.numbers("s"), r = p.numbers("r"), count = p.numbers("count");
        if (r.length != s.length || count.length != s.length) {
            throw m.error("hardness_profile", "has " + s.length + " s, " + r.length + " r and " + count.length + " count values; expected equal lengths");
        }
        long[] n = new long[count.length];
        for (int i = 0; i < n.length; i++) n[i] = (long) count[i];
        return new Profile(p.number("tau"), s, r, n);
    }

    private static Baselines baselines(JsonFile m) {
        JsonFile b = m.optObject("baselines");
        if (b == null) return null;
        return new Baselines(b.number("raw_pixel_knn"), b.number("untrained_knn"), b.number("untrained_linear"));
    }

    // history.csv: header epoch,loss,lr,views_per_s,seconds,knn_accuracy (columns found by name;
    // epoch and loss required). A missing file is an empty history.
    static List<Epoch> history(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (lines.isEmpty()) throw new DataException(file + ": empty (expected a header line)");
        List<String> header = List.of(lines.getFirst().strip().split(",", -1));
        int epoch = header.indexOf("epoch"), loss = header.indexOf("loss"), knn = header.indexOf("knn_accuracy");
        if (epoch < 0 || loss < 0) throw new DataException(file + ": header \"" + lines.getFirst().strip() + "\" lacks the epoch and loss columns");
        List<Epoch> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            if (f.length != header.size()) throw new DataException(file + ": line " + (i + 1) + " has " + f.length + " fields, the header " + header.size());
            double e = field(file, i, "epoch", f[epoch]);
            if (!(e >= 1) || e != Math.rint(e)) throw new DataException(file + ": line " + (i + 1) + ": epoch \"" + f[epoch] + "\" is not a count from 1");
            out.add(new Epoch((int) e, field(file, i, "loss", f[loss]), knn < 0 ? Double.NaN : field(file, i, "knn_accuracy", f[knn])));
        }
        return List.copyOf(out);
    }

    private static double field(Path file, int line, String name, String text) {
        if (text.isEmpty()) return Double.NaN;
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new DataException(file + ": line " + (line + 1) + ": " + name + " \"" + text + "\" is not a number");
        }
    }

    // What a folder without DONE holds: its loss, τ and seed when config.json reads, and how far
    // history.csv got. Never fails: a run in progress may be mid-write.
    static Unfinished unfinished(Path run, String name) {
        if (!Files.isRegularFile(run.resolve("config.json"))) return new Unfinished(name, "not started (no config.json)");
        String what;
        int target = -1;
        try {
            JsonFile c = JsonFile.read(run.resolve("config.json")).object("config");
            what = c.string("loss") + (c.has("tau") ? " τ " + Tables.plain(c.number("tau")) : "") + " seed " + c.integer("seed");
            target = (int) c.integer("epochs");
        } catch (DataException e) {
            what = "config.json unreadable";
        }
        String done;
        try {
            int epochs = history(run.resolve("history.csv")).size();
            done = epochs + (target > 0 ? " of " + target : "") + " epochs in history.csv";
        } catch (DataException e) {
            done = "history.csv unreadable";
        }
        return new Unfinished(name, what + ": no DONE (" + done + ")");
    }
}
