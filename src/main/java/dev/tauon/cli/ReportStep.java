package dev.tauon.cli;

import dev.tauon.experiment.report.Report;

import java.io.PrintWriter;
import java.nio.file.Path;

// The report at the end of a sweep or the demo: Table 1, the findings' verdicts and where the
// files are.
final class ReportStep {
    private ReportStep() {}

    static Report.Summary write(Path sweep, PrintWriter out) {
        Report.Summary s = Report.write(sweep, null);
        out.println();
        out.print(s.tables());
        out.println();
        for (var f : s.findings()) out.printf("%2d. %s: %s%n", f.number(), f.title(), f.verdict());
        out.printf("%nreport: %s (report.md, report.html, results.csv, plots/)%n", s.out().resolve("report.html"));
        out.flush();
        return s;
    }
}
