package dev.tauon.cli;

import dev.tauon.experiment.report.Findings.Finding;
import dev.tauon.experiment.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
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

    @Option(names = "--json", description = "print one JSON object (report folder, runs, findings number -> verdict) instead of text")
    boolean json;

    @Override public void run() {
        Report.Summary s = Report.write(dir, out, "tauon report " + dir + (out == null ? "" : " --out " + out));
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
        }
        o.flush();
    }
}
