package dev.tauon.experiment.report;

import dev.tauon.experiment.Version;
import dev.tauon.experiment.report.Findings.Finding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

// report.html: the report as one page that opens from disk: the PNG plots inlined as base64
// data URIs, the tables as HTML tables, the verdicts coloured (green holds, red does not hold,
// grey not covered).
final class Html {
    private static final String CSS = """
            body { font-family: system-ui, "DejaVu Sans", sans-serif; max-width: 1280px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
            h1, h2, h3 { font-weight: 600; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.8em; }
            table { border-collapse: collapse; margin: .8em 0; font-size: 14px; display: block; overflow-x: auto; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; white-space: nowrap; }
            th:first-child, td:first-child { text-align: left; } th { background: #f3f3f3; }
            .finding { border-left: 4px solid #ccc; padding: .3em .8em; margin: .8em 0; background: #fafafa; }
            .finding.holds { border-color: #2e7d32; } .finding.fails { border-color: #c62828; } .finding.nc { border-color: #9e9e9e; }
            .v { font-weight: 600; padding: 1px 7px; border-radius: 4px; color: #fff; font-size: 90%; }
            .v.holds { background: #2e7d32; } .v.fails { background: #c62828; } .v.nc { background: #9e9e9e; }
            .rule { color: #555; font-size: 92%; } figure { margin: 1.2em 0; } img { max-width: 100%; border: 1px solid #eee; }
            pre { background: #f5f5f5; padding: .6em; overflow-x: auto; } code { background: #f5f5f5; padding: 0 3px; }
            """;

    private Html() {}

    static String render(Report.Content c, Path plots) throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Tauon report</title>\n<style>\n")
                .append(CSS).append("</style>\n</head>\n<body>\n<h1>Tauon report</h1>\n");
        var l = c.loaded();
        h.append("<p>Runs from <code>").append(esc(c.dir().toString())).append("</code>").append(l.sweep() ? " (a sweep folder)" : "")
                .append(": ").append(l.results().size()).append(" finished, ").append(l.unfinished().size()).append(" unfinished.</p>\n<p>")
                .append(inline(Report.INTRO)).append("</p>\n");
        for (Study s : c.studies()) {
            h.append("<h2>Table 1: ").append(esc(s.title())).append("</h2>\n").append(table(Tables.table1(s)));
            if (s.twinsNote() != null) h.append("<p><strong>Note:</strong> ").append(esc(s.twinsNote())).append("</p>\n");
            if (s.collapsedNote() != null) h.append("<p><strong>Note:</strong> ").append(esc(s.collapsedNote())).append("</p>\n");
        }
        h.append("<h2>Baselines</h2>\n");
        h.append(c.baselines().isEmpty() ? "<p>No run's metrics.json has baselines.</p>\n" : table(Tables.baselinesTable(c.baselines())));

        h.append("<h2>Findings (docs/paper.md §6)</h2>\n<p>").append(inline(Report.FINDINGS_INTRO)).append("</p>\n");
        for (Finding f : c.findings()) {
            String cls = switch (f.verdict()) {
                case Findings.HOLDS -> "holds";
                case Findings.FAILS -> "fails";
                default -> "nc";
            };
            h.append("<div class=\"finding ").append(cls).append("\"><h3>").append(f.number()).append(". ").append(esc(f.title()))
                    .append(" <span class=\"v ").append(cls).append("\">").append(esc(f.verdict())).append("</span></h3>\n<p>")
                    .append(esc(f.evidence())).append("</p>\n<p class=\"rule\">Rule: ").append(esc(f.rule())).append(".</p></div>\n");
        }
        h.append("<h2>Plots</h2>\n");
        if (c.figures().isEmpty()) h.append("<p>No plots: no finished run has the numbers they need.</p>\n");
        for (Figure f : c.figures()) {
            byte[] png = Files.readAllBytes(plots.resolve(f.file() + ".png"));
            h.append("<figure><img alt=\"").append(esc(f.title())).append("\" width=\"").append(f.width()).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\">\n<figcaption>").append(esc(f.title()))
                    .append(" · <a href=\"plots/").append(esc(f.file())).append(".svg\">SVG</a></figcaption></figure>\n");
        }
        if (!l.unfinished().isEmpty()) {
            h.append("<h2>Unfinished runs (not in the tables)</h2>\n<ul>\n");
            l.unfinished().forEach(u -> h.append("<li><code>").append(esc(u.folder())).append("</code>: ").append(esc(u.why())).append("</li>\n"));
            h.append("</ul>\n");
        }
        h.append("<h2>How this was made</h2>\n");
        if (c.commands() != null) {
            h.append("<p>The runs (").append(esc(c.dir().resolve("commands.txt").toString())).append("):</p>\n<pre>").append(esc(c.commands())).append("</pre>\n");
        }
        h.append("<p>This report:</p>\n<pre>").append(esc(c.reportCommand())).append("</pre>\n<ul>\n<li>Tauon version of the runs: ")
                .append(esc(c.runVersions())).append(" (metrics.json <code>tauon_version</code>)</li>\n<li>Report written by Tauon ")
                .append(esc(Version.name())).append(" on ").append(esc(c.machine()))
                .append(": the machine that ran <code>tauon report</code>, not necessarily the one that trained (run folders do not record it)</li>\n</ul>\n");
        return h.append("</body>\n</html>\n").toString();
    }

    static String table(Tables.Table t) {
        StringBuilder h = new StringBuilder("<table>\n<tr>");
        t.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> row : t.rows()) {
            h.append("<tr>");
            row.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
            h.append("</tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    // Markdown *emphasis* of the shared texts as <em>.
    private static String inline(String md) { return esc(md).replaceAll("\\*([^*]+)\\*", "<em>$1</em>"); }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
