package dev.tauon.experiment.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

// One Table 1: the finished runs of one dataset, setting and epoch count, in columns by
// (loss, τ, K) in the paper's order (InfoNCE by τ, Simple, Hard by τ, HardSimple, others),
// each column's numbers the mean and sample standard deviation over its seeds.
public record Study(String dataset, String setting, int epochs, List<Result> runs) {

    public record Column(String loss, double tau, int k, String label, List<Result> runs) {
        public Stat stat(Metric m) { return Study.stat(runs, m); }
        public boolean hasTau() { return !Double.isNaN(tau); }
        public boolean collapsed() { return runs.stream().anyMatch(Result::collapsed); }
    }

    // mean and sample std (n − 1) over the runs where the metric is present; std NaN when n < 2.
    public record Stat(double mean, double std, int n) {}

    public static List<Study> of(List<Result> results) {
        Map<String, List<Result>> groups = new LinkedHashMap<>();
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(Result::dataset).thenComparing(Result::setting).thenComparingInt(Result::epochs)
                .thenComparing(Results.ORDER));
        for (Result r : sorted) groups.computeIfAbsent(r.dataset() + "\u0000" + r.setting() + "\u0000" + r.epochs(), x -> new ArrayList<>()).add(r);
        return groups.values().stream().map(g -> new Study(g.getFirst().dataset(), g.getFirst().setting(), g.getFirst().epochs(), List.copyOf(g))).toList();
    }

    public String title() { return dataset + ", " + setting + " setting, " + epochs + " epochs"; }

    // A file-name tail for this study: "fashion-mnist-bank-200ep".
    public String slug() { return (dataset + "-" + setting + "-" + epochs + "ep").replaceAll("[^A-Za-z0-9._-]+", "_"); }

    public List<Column> columns() {
        Map<String, List<Result>> byKey = new TreeMap<>();
        for (Result r : runs) byKey.computeIfAbsent(r.loss() + "\u0000" + r.tau() + "\u0000" + r.k(), x -> new ArrayList<>()).add(r);
        List<Column> cols = new ArrayList<>();
        for (List<Result> g : byKey.values()) {
            Result r = g.getFirst();
            boolean severalK = runs.stream().filter(o -> o.loss().equals(r.loss())).mapToInt(Result::k).distinct().count() > 1;
            String label = lossLabel(r.loss()) + (r.hasTau() ? " " + Tables.plain(r.tau()) : "") + (severalK ? " K=" + r.k() : "");
            cols.add(new Column(r.loss(), r.tau(), r.k(), label, List.copyOf(g)));
        }
        cols.sort(Comparator.comparingInt((Column c) -> lossRank(c.loss())).thenComparing(Column::loss)
                .thenComparingDouble(Column::tau).thenComparingInt(Column::k));
        return cols;
    }

    // A note when a column holds several runs of one seed (a sweep that varied something the
    // columns do not show, such as lr): their numbers are averaged like seeds. Null when none.
    public String twinsNote() {
        List<String> twins = columns().stream().filter(c -> c.runs().stream().mapToLong(Result::seed).distinct().count() < c.runs().size())
                .map(Column::label).toList();
        return twins.isEmpty() ? null : "Columns with several runs of one seed (they differ in a setting not shown here; "
                + "averaged like seeds): " + String.join(", ", twins) + ".";
    }

    // A note naming the columns with a collapsed run (Result.collapsed); null when none.
    public String collapsedNote() {
        List<String> down = columns().stream().filter(Column::collapsed).map(Column::label).toList();
        return down.isEmpty() ? null : "Collapsed (every test embedding near one point, −L_unif below " + Result.COLLAPSED_UNIFORMITY
                + "; drawn as crosses apart from the lines in the plots): " + String.join(", ", down) + ".";
    }

    // The τ of one loss's columns (main K) holding a collapsed run.
    public java.util.Set<Double> collapsedTaus(String loss) {
        int k = mainK(loss);
        java.util.Set<Double> out = new java.util.TreeSet<>();
        for (Column c : columns()) if (c.loss().equals(loss) && c.k() == k && c.hasTau() && c.collapsed()) out.add(c.tau());
        return out;
    }

    // The metric by τ over one loss's runs (mean over seeds), only τ where it is present. When the
    // loss ran with several K, the K with the most runs (ties: the largest) stands for it.
    public SortedMap<Double, Stat> byTau(String loss, Metric m) {
        int k = mainK(loss);
        SortedMap<Double, Stat> out = new TreeMap<>();
        for (Column c : columns()) {
            if (!c.loss().equals(loss) || c.k() != k || !c.hasTau()) continue;
            Stat s = c.stat(m);
            if (s.n() > 0) out.put(c.tau(), s);
        }
        return out;
    }

    // The metric of a loss without τ (mean over seeds, main K), or null when it did not run.
    public Stat untempered(String loss, Metric m) {
        int k = mainK(loss);
        for (Column c : columns()) {
            if (c.loss().equals(loss) && c.k() == k && !c.hasTau()) {
                Stat s = c.stat(m);
                return s.n() > 0 ? s : null;
            }
        }
        return null;
    }

    int mainK(String loss) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Result r : runs) if (r.loss().equals(loss)) counts.merge(r.k(), 1, Integer::sum);
        int best = 0, n = -1;
        for (var e : counts.entrySet()) if (e.getValue() >= n) { best = e.getKey(); n = e.getValue(); }
        return best;
    }

    static Stat stat(List<Result> runs, Metric m) {
        double sum = 0;
        int n = 0;
        for (Result r : runs) if (!Double.isNaN(r.get(m))) { sum += r.get(m); n++; }
        if (n == 0) return new Stat(Double.NaN, Double.NaN, 0);
        double mean = sum / n, ss = 0;
        for (Result r : runs) if (!Double.isNaN(r.get(m))) ss += (r.get(m) - mean) * (r.get(m) - mean);
        return new Stat(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, n);
    }

    public static String lossLabel(String loss) {
        return switch (loss) {
            case "infonce" -> "InfoNCE";
            case "simple" -> "Simple";
            case "hard" -> "Hard";
            case "hardsimple" -> "HardSimple";
            case "dcl" -> "DCL";
            case "dclw" -> "DCLW";
            default -> loss;
        };
    }

    private static int lossRank(String loss) {
        return switch (loss) {
            case "infonce" -> 0;
            case "simple" -> 1;
            case "hard" -> 2;
            case "hardsimple" -> 3;
            default -> 4;
        };
    }
}
