package dev.tauon.experiment.report;

import dev.tauon.experiment.Version;
import dev.tauon.experiment.report.Findings.Finding;

// report.md: Table 1 per study, the baselines, the findings with their rules and numbers, the
// plots, the unfinished runs, and how the report was made (commands, versions, machine).
final class Markdown {
    private Markdown() {}

    static String render(Report.Content c) {
        StringBuilder md = new StringBuilder("# Tauon report\n\n");
        var l = c.loaded();
        md.append("Runs from `").append(c.dir()).append("`").append(l.sweep() ? " (a sweep folder)" : "").append(": ")
                .append(l.results().size()).append(" finished, ").append(l.unfinished().size()).append(" unfinished.\n\n");
        md.append(Report.INTRO).append("\n\n");
        for (Study s : c.studies()) {
            md.append("## Table 1: ").append(s.title()).append("\n\n").append(Tables.table1(s).markdown()).append('\n');
            if (s.twinsNote() != null) md.append("**Note:** ").append(s.twinsNote()).append("\n\n");
            if (s.collapsedNote() != null) md.append("**Note:** ").append(s.collapsedNote()).append("\n\n");
        }
        md.append("## Baselines\n\n");
        if (c.baselines().isEmpty()) md.append("No run's metrics.json has baselines.\n\n");
        else md.append(Tables.baselinesTable(c.baselines()).markdown()).append('\n');

        md.append("## Findings (docs/paper.md §6)\n\n").append(Report.FINDINGS_INTRO).append("\n\n");
        for (Finding f : c.findings()) {
            md.append("**").append(f.number()).append(". ").append(f.title()).append(" — ").append(f.verdict()).append("**  \n")
                    .append(f.evidence()).append("  \n*Rule:* ").append(f.rule()).append(".\n\n");
        }
        md.append("## Plots\n\n");
        if (c.figures().isEmpty()) md.append("No plots: no finished run has the numbers they need.\n\n");
        for (Figure f : c.figures()) {
            md.append("### ").append(f.title()).append("\n\n![").append(f.title()).append("](plots/").append(f.file()).append(".png)  \n")
                    .append("[PNG](plots/").append(f.file()).append(".png) · [SVG](plots/").append(f.file()).append(".svg)\n\n");
        }
        if (!l.unfinished().isEmpty()) {
            md.append("## Unfinished runs (not in the tables)\n\n");
            l.unfinished().forEach(u -> md.append("- `").append(u.folder()).append("`: ").append(u.why()).append('\n'));
            md.append('\n');
        }
        md.append("## How this was made\n\n");
        if (c.commands() != null) md.append("The runs (").append(c.dir().resolve("commands.txt")).append("):\n\n```\n").append(c.commands()).append("\n```\n\n");
        md.append("This report:\n\n```\n").append(c.reportCommand()).append("\n```\n\n");
        md.append("Files: `results.csv` and `results.json` (one row per finished run), `baselines.csv`, `plots/`.\n\n");
        md.append("- Tauon version of the runs: ").append(c.runVersions()).append(" (metrics.json `tauon_version`)\n");
        md.append("- Report written by Tauon ").append(Version.name()).append(" on ").append(c.machine())
                .append(": the machine that ran `tauon report`, not necessarily the one that trained (run folders do not record it)\n");
        return md.toString();
    }
}
