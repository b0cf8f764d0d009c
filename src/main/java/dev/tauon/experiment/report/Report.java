package dev.tauon.experiment.report;

import dev.tauon.data.DataException;
import dev.tauon.experiment.report.Findings.Finding;
import dev.tauon.experiment.report.Result.Baselines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

// `tauon report`: turns run folders into a study. Writes results.csv, results.json,
// baselines.csv, plots/*.png|svg, report.md and a self-contained report.html into the out folder
// (default: the folder read), and returns what a caller prints (tables, verdicts, paths).
public final class Report {
    // What the report says, shared by report.md and report.html.
    record Content(Path dir, Results.Loaded loaded, List<Study> studies, Map<String, Baselines> baselines, List<Finding> findings,
                   List<Figure> figures, String commands, String reportCommand, String runVersions, String machine) {}

    // results: the finished runs read; tables: each study's Table 1 as Markdown; files: everything written.
    public record Summary(Path out, List<Result> results, List<Results.Unfinished> unfinished, List<Finding> findings, String tables, List<Path> files) {
        public int runs() { return results.size(); }

        public Map<Integer, String> verdicts() {
            Map<Integer, String> m = new LinkedHashMap<>();
            findings.forEach(f -> m.put(f.number(), f.verdict()));
            return m;
        }
    }

    static final String INTRO = "Accuracies are top-1 in % on the test split. Each cell is the mean over seeds, ± the sample standard "
            + "deviation where several seeds ran (row *seeds*). Uniformity is −L_unif (t = 2, higher = more uniform); tolerance is the "
            + "mean same-class similarity.";
    static final String FINDINGS_INTRO = "Each finding is judged from the means over seeds by the rule under it: *holds*, *does not "
            + "hold*, or *not covered* (these runs cannot judge it; the line says what would).";

    private Report() {}

    public static Summary write(Path dir, Path out) { return write(dir, out, null); }

    // dir: a sweep folder (runs/<id>/) or a folder of run folders; out: where to write (null: dir);
    // command: the command line to quote in the report (null: "tauon report DIR [--out OUT]").
    public static Summary write(Path dir, Path out, String command) {
        System.setProperty("java.awt.headless", "true");   // before anything touches AWT
        Results.Loaded loaded = Results.load(dir);
        Path to = out == null ? dir : out;
        List<Result> results = loaded.results();
        List<Study> studies = Study.of(results);
        Map<String, Baselines> baselines = Tables.baselines(results);
        List<Finding> findings = Findings.check(results);
        List<Figure> figures = Charts.of(studies);
        String reportCommand = command != null ? command : "tauon report " + dir + (out == null || out.equals(dir) ? "" : " --out " + out);
        Content c = new Content(dir, loaded, studies, baselines, findings, figures, commands(dir), reportCommand, versions(results), machine());
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(to);
            files.add(text(to.resolve("results.csv"), Tables.csv(results)));
            files.add(text(to.resolve("results.json"), Tables.json(results, baselines)));
            files.add(text(to.resolve("baselines.csv"), Tables.baselinesCsv(baselines)));
            files.addAll(Plots.write(figures, to.resolve("plots")));
            files.add(text(to.resolve("report.md"), Markdown.render(c)));
            files.add(text(to.resolve("report.html"), Html.render(c, to.resolve("plots"))));
        } catch (IOException e) {
            throw new DataException(to + ": cannot write the report (" + e.getMessage() + ")", e);
        }
        StringBuilder tables = new StringBuilder();
        for (Study s : studies) tables.append(s.title()).append('\n').append(Tables.table1(s).markdown()).append('\n');
        return new Summary(to, results, loaded.unfinished(), findings, tables.toString(), List.copyOf(files));
    }

    private static Path text(Path file, String s) throws IOException {
        Files.writeString(file, s, StandardCharsets.UTF_8);
        return file;
    }

    // A sweep's commands.txt, or null.
    private static String commands(Path dir) {
        Path f = dir.resolve("commands.txt");
        if (!Files.isRegularFile(f)) return null;
        try {
            return Files.readString(f, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new DataException(f + ": cannot read (" + e.getMessage() + ")");
        }
    }

    static String versions(List<Result> results) {
        TreeSet<String> v = new TreeSet<>();
        results.stream().map(Result::tauonVersion).filter(Objects::nonNull).forEach(v::add);
        if (v.isEmpty()) return "unknown (no run's metrics.json has tauon_version)";
        return String.join(", ", v) + (v.size() > 1 ? " (mixed)" : "");
    }

    static String machine() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + "), "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")";
    }
}
