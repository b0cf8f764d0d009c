package dev.tauon.experiment.report;

import dev.tauon.data.DataException;
import dev.tauon.experiment.report.Findings.Finding;
import dev.tauon.experiment.report.Study.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// A Markdown document whose numbers come from the runs, never from a keyboard: the template's
// placeholders are replaced by tables, findings and values computed from the finished runs, so
// the document can be rebuilt (and checked) from the run files alone. A STUDY is a setting
// ("simclr", "bank") when one study has it, else dataset/setting/epochs ("fashion-mnist/bank/30").
//
//   {{table STUDY}}                  Table 1 of the study (Tables.table1)
//   {{beside STUDY}}                 the study's columns beside the paper's CIFAR-10 Table 1
//   {{finding N STUDY}}              finding N judged on that study alone: verdict, then the numbers
//   {{verdict N STUDY}}              the verdict alone (holds / does not hold / not covered)
//   {{overall N STUDY...}}           finding N over the studies named: reproduced (holds in each),
//                                    partly reproduced, not reproduced, or undecided while one is not covered
//   {{value STUDY LOSS TAU METRIC}}  one cell: mean (± std over seeds); TAU "-" for a loss without one
//   {{runs STUDY}}                   each run's seed, wall time, training time and speed
//   {{count STUDY}}                  how many finished runs the study has
//   {{wall STUDY}}                   the wall time of the study's finished runs together (h:mm:ss)
//   {{plot NAME STUDY}}              the study's plot NAME (accuracy_vs_tau, uniformity_vs_tau, …) as a Markdown image
//   {{baselines}}                    raw-pixel kNN and the untrained network's kNN and linear probe, per dataset
//   {{versions}}                     the Tauon versions the runs were made with
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");

    private Template() {}

    // plots: the report's plots/ folder as the rendered document links it (e.g. "reproduction/plots").
    public static String render(String template, List<Result> results, String source, String plots) {
        List<Study> studies = Study.of(results);
        Derived derived = new Derived(studies);
        StringBuilder out = new StringBuilder();
        String[] lines = template.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PLACEHOLDER.matcher(lines[i]);
            StringBuilder line = new StringBuilder();
            while (m.find()) {
                String where = source + " line " + (i + 1) + ": {{" + m.group(1) + "}}";
                m.appendReplacement(line, Matcher.quoteReplacement(expand(m.group(1).trim().split("\\s+"), studies, derived, results, plots, where)));
            }
            m.appendTail(line);
            out.append(line);
            if (i + 1 < lines.length) out.append('\n');
        }
        return out.toString();
    }

    // What several placeholders need, computed once per document: the figures, each study's findings.
    private static final class Derived {
        final List<Study> studies;
        List<Figure> figures;
        final Map<Study, List<Finding>> findings = new IdentityHashMap<>();

        Derived(List<Study> studies) { this.studies = studies; }

        List<Figure> figures() { return figures != null ? figures : (figures = Charts.of(studies)); }

        List<Finding> findings(Study s) { return findings.computeIfAbsent(s, x -> Findings.check(x.runs())); }
    }

    private static String expand(String[] a, List<Study> studies, Derived derived, List<Result> results, String plots, String where) {
        String kind = a[0];
        switch (kind) {
            case "versions" -> {
                args(a, 1, "{{versions}}", where);
                return Report.versions(results);
            }
            case "baselines" -> {
                args(a, 1, "{{baselines}}", where);
                var b = Tables.baselines(results);
                return b.isEmpty() ? "*(no run has baselines yet)*" : Tables.baselinesTable(b).markdown().stripTrailing();
            }
            case "table", "beside", "runs", "count", "wall" -> args(a, 2, "{{" + kind + " STUDY}}", where);
            case "finding", "verdict" -> {
                args(a, 3, "{{" + kind + " N STUDY}}", where);
                number(a[1], where);   // checked even for a study without runs yet
            }
            case "overall" -> {
                if (a.length < 3) throw new DataException(where + ": expected {{overall N STUDY...}}");
                int n = number(a[1], where);
                List<String> names = List.of(a).subList(2, a.length), verdicts = new ArrayList<>();
                for (String name : names) {
                    Study s = study(name, studies, where);
                    verdicts.add(s == null ? Findings.NOT_COVERED : derived.findings(s).get(n - 1).verdict());
                }
                return overall(names, verdicts);
            }
            case "plot" -> args(a, 3, "{{plot NAME STUDY}}", where);
            case "value" -> args(a, 5, "{{value STUDY LOSS TAU METRIC}}", where);
            default -> throw new DataException(where + ": unknown placeholder '" + kind + "' (use table, beside, finding, verdict, overall, value, runs, count, wall, plot, baselines, versions)");
        }
        Study s = study(a[a.length == 3 ? 2 : 1], studies, where);
        if (s == null) return kind.equals("count") ? "0" : kind.equals("verdict") ? Findings.NOT_COVERED : "*(no finished runs yet)*";
        return switch (kind) {
            case "table" -> Tables.table1(s).markdown().stripTrailing() + (s.collapsedNote() == null ? "" : "\n\n**Note:** " + s.collapsedNote());
            case "beside" -> Paper.beside(s).markdown().stripTrailing();
            case "runs" -> runs(s).markdown().stripTrailing();
            case "count" -> Integer.toString(s.runs().size());
            case "wall" -> hours(s.runs().stream().mapToDouble(r -> r.get(Metric.SECONDS)).sum());
            case "plot" -> plot(a[1], s, studies.size(), derived.figures(), plots);
            case "finding", "verdict" -> {
                Finding f = derived.findings(s).get(number(a[1], where) - 1);
                yield kind.equals("verdict") ? f.verdict() : "**" + f.verdict() + "** — " + f.evidence();
            }
            default -> value(s, a[2], a[3], a[4], where);
        };
    }

    // One finding over several studies: reproduced where it holds in every one, partly where in
    // some, not where in none; undecided (with each study's verdict) while any is not covered.
    static String overall(List<String> names, List<String> verdicts) {
        long holds = verdicts.stream().filter(Findings.HOLDS::equals).count();
        if (verdicts.contains(Findings.NOT_COVERED)) {
            List<String> each = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) each.add(names.get(i) + ": " + verdicts.get(i));
            return "*undecided* (" + String.join("; ", each) + ")";
        }
        return holds == verdicts.size() ? "**reproduced**" : holds == 0 ? "**not reproduced**" : "**partly reproduced**";
    }

    // The figure the report draws under this name for the study (its file has the study's slug
    // when the report holds several studies).
    private static String plot(String name, Study s, int studies, List<Figure> figures, String plots) {
        String file = name + (studies > 1 ? "-" + s.slug() : "");
        for (Figure f : figures) {
            if (f.file().equals(file)) return "![" + f.title() + "](" + plots + "/" + file + ".png)";
        }
        return "*(no " + name + " plot for " + s.title() + ": its runs do not have the numbers yet)*";
    }

    private static void args(String[] a, int n, String form, String where) {
        if (a.length != n) throw new DataException(where + ": expected " + form);
    }

    static Study study(String name, List<Study> studies, String where) {
        List<Study> match = new ArrayList<>();
        for (Study s : studies) {
            if (name.equals(s.setting()) || name.equals(s.dataset() + "/" + s.setting() + "/" + s.epochs())) match.add(s);
        }
        if (match.size() > 1) {
            throw new DataException(where + ": '" + name + "' names " + match.size() + " studies; write DATASET/SETTING/EPOCHS, e.g. "
                    + match.getFirst().dataset() + "/" + match.getFirst().setting() + "/" + match.getFirst().epochs());
        }
        if (match.isEmpty() && !name.equals("simclr") && !name.equals("bank") && name.split("/").length != 3) {
            throw new DataException(where + ": '" + name + "' is not a study (a setting, simclr or bank, or DATASET/SETTING/EPOCHS)");
        }
        return match.isEmpty() ? null : match.getFirst();
    }

    // A finding's number, 1 to 10.
    private static int number(String n, String where) {
        int k;
        try {
            k = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            k = 0;
        }
        if (k < 1 || k > 10) throw new DataException(where + ": the finding's number must be 1 to 10, got '" + n + "'");
        return k;
    }

    private static String value(Study s, String loss, String tau, String metric, String where) {
        Metric m = null;
        for (Metric x : Metric.values()) if (x.key.equals(metric)) m = x;
        if (m == null) {
            List<String> keys = new ArrayList<>();
            for (Metric x : Metric.values()) keys.add(x.key);
            throw new DataException(where + ": unknown metric '" + metric + "' (use " + String.join(", ", keys) + ")");
        }
        double t;
        try {
            t = tau.equals("-") ? Double.NaN : Double.parseDouble(tau);
        } catch (NumberFormatException e) {
            throw new DataException(where + ": τ must be a number or -, got '" + tau + "'");
        }
        for (Column c : s.columns()) {
            if (c.loss().equals(loss) && c.k() == s.mainK(loss) && (Double.isNaN(t) ? !c.hasTau() : c.hasTau() && c.tau() == t)) {
                return Tables.cell(c.stat(m), m);
            }
        }
        return "–";
    }

    // Each run: its column, seed, wall time (pretraining and evaluation), training time and speed.
    static Tables.Table runs(Study s) {
        List<List<String>> rows = new ArrayList<>();
        for (Column c : s.columns()) {
            for (Result r : c.runs()) {
                rows.add(List.of(c.label(), Long.toString(r.seed()), r.runId(), hours(r.get(Metric.SECONDS)), hours(r.get(Metric.TRAIN_SECONDS)),
                        Tables.fixed(r.get(Metric.TRAIN_SECONDS) / r.epochs(), 0), Tables.fixed(r.get(Metric.VIEWS_PER_S), 0)));
            }
        }
        return new Tables.Table(List.of("run", "seed", "id", "wall time", "training", "s / epoch", "views/s"), rows);
    }

    static String hours(double seconds) {
        if (Double.isNaN(seconds)) return "–";
        long t = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    }
}
