package dev.tauon.cli;

import dev.tauon.experiment.report.Findings.Finding;
import dev.tauon.experiment.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.tauon.data.AtomicFiles;
import dev.tauon.experiment.report.Template;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

// `tauon report DIR`: the study of a sweep or a folder of runs (tables, plots, findings); prints
// Table 1 and the verdicts, and where the report is.
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Turn run folders into a report: results.csv/json, plots (PNG, SVG), report.md, report.html, "
                + "and the paper's ten findings judged from the numbers.")
final class ReportCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a sweep folder (DIR/runs/<id>/) or a folder of run folders (DIR/*/config.json)")
    Path dir;

    @Option(names = "--out", paramLabel = "OUT", description = "write the report here (default: DIR itself)")
    Path out;

    @Option(names = "--fill", paramLabel = "TEMPLATE=OUTPUT", description = {"also render a Markdown template whose {{placeholders}} become "
            + "the runs' tables, findings, values and plots (placeholders: docs/guide.md, Reports), into OUTPUT; repeatable"})
    List<String> fills = new ArrayList<>();

    @Option(names = "--json", description = "print one JSON object (report folder, runs, findings number -> verdict) instead of text")
    boolean json;

    @Override public void run() {
        List<Path[]> templates = new ArrayList<>();
        for (String f : fills) {
            int eq = f.indexOf('=');
            if (eq <= 0 || eq == f.length() - 1) throw new UserError("--fill takes TEMPLATE=OUTPUT, got '" + f + "'");
            Path t = Path.of(f.substring(0, eq)), o = Path.of(f.substring(eq + 1));
            if (!Files.isRegularFile(t)) throw new UserError("--fill: template " + t + " is not a file");
            templates.add(new Path[] {t, o});
        }
        StringBuilder cmd = new StringBuilder("tauon report " + dir + (out == null ? "" : " --out " + out));
        for (String f : fills) cmd.append(" --fill ").append(f);
        Report.Summary s = Report.write(dir, out, cmd.toString());
        for (Path[] t : templates) {
            try {
                Path parent = t[1].toAbsolutePath().getParent();
                String plots = parent.relativize(s.out().toAbsolutePath().resolve("plots")).toString().replace('\\', '/');
                AtomicFiles.writeString(t[1], Template.render(Files.readString(t[0], StandardCharsets.UTF_8), s.results(), t[0].toString(), plots));
            } catch (IOException e) {
                throw new UserError("--fill " + t[0] + "=" + t[1] + ": " + e.getMessage(), e);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> findings = new LinkedHashMap<>();
            s.verdicts().forEach((n, v) -> findings.put(Integer.toString(n), v));
            o.println(Json.line(Json.object("report", s.out().toString(), "runs", s.runs(), "unfinished", s.unfinished().size(),
                    "findings", findings)));
        } else {
            o.print(s.tables());
            for (Finding f : s.findings()) o.println(f.number() + ". " + f.title() + " — " + f.verdict());
            if (!s.unfinished().isEmpty()) o.println(s.unfinished().size() + " unfinished run(s), listed in report.md");
            o.println("report: " + s.out().resolve("report.md") + ", " + s.out().resolve("report.html") + " (" + s.runs() + " runs)");
            for (Path[] t : templates) o.println("filled: " + t[1] + " (from " + t[0] + ")");
        }
        o.flush();
    }
}
