package dev.tauon.experiment.report;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tauon.experiment.report.Result.Baselines;
import dev.tauon.experiment.report.Study.Column;
import dev.tauon.experiment.report.Study.Stat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

// results.csv, results.json and baselines.csv (fixed formatting, Locale.ROOT, no timestamps:
// the same runs give the same bytes), and the report's tables: Table 1 and the baselines.
public final class Tables {
    // A table as text cells: Markdown here, HTML in Html.
    public record Table(List<String> header, List<List<String>> rows) {
        public String markdown() {
            int[] w = new int[header.size()];
            for (int j = 0; j < w.length; j++) {
                w[j] = Math.max(3, header.get(j).length());
                for (List<String> row : rows) w[j] = Math.max(w[j], row.get(j).length());
            }
            StringBuilder sb = new StringBuilder();
            line(sb, header, w);
            List<String> rule = new ArrayList<>();
            for (int j = 0; j < w.length; j++) rule.add(j == 0 ? "-".repeat(w[j]) : "-".repeat(w[j] - 1) + ":");
            line(sb, rule, w);
            for (List<String> row : rows) line(sb, row, w);
            return sb.toString();
        }

        private static void line(StringBuilder sb, List<String> cells, int[] w) {
            sb.append('|');
            for (int j = 0; j < w.length; j++) {
                String c = cells.get(j);
                String pad = " ".repeat(w[j] - c.length());
                sb.append(' ').append(j == 0 ? c + pad : pad + c).append(" |");
            }
            sb.append('\n');
        }
    }

    static final String[] CSV_COLUMNS = {"dataset", "setting", "loss", "tau", "k", "seed", "epochs", "knn_accuracy", "linear_accuracy",
            "uniformity", "tolerance", "alignment", "pos_similarity", "neg1_similarity", "neg10_similarity", "hardness_entropy",
            "seconds", "run_id"};
    private static final Metric[] CSV_METRICS = {Metric.KNN, Metric.LINEAR, Metric.UNIFORMITY, Metric.TOLERANCE, Metric.ALIGNMENT,
            Metric.POS, Metric.NEG1, Metric.NEG10, Metric.ENTROPY, Metric.SECONDS};

    private Tables() {}

    // A decimal as written in a config: 0.07, 0.2, 1 (no exponent, no trailing zeros).
    public static String plain(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    // A number with fixed decimals, "" for NaN (a missing value).
    static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String value(Metric m, double v) { return fixed(v, m == Metric.SECONDS ? 3 : 6); }

    // One row per run in Results.ORDER; missing numbers are empty fields.
    public static String csv(List<Result> results) {
        StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Result r : results) {
            List<String> f = new ArrayList<>(List.of(csvText(r.dataset()), csvText(r.setting()), csvText(r.loss()),
                    r.hasTau() ? plain(r.tau()) : "", r.k() > 0 ? Integer.toString(r.k()) : "", Long.toString(r.seed()),
                    Integer.toString(r.epochs())));
            for (Metric m : CSV_METRICS) f.add(value(m, r.get(m)));
            f.add(csvText(r.runId()));
            sb.append(String.join(",", f)).append('\n');
        }
        return sb.toString();
    }

    // The baselines of each dataset: from the first run (in Results.ORDER) that has them.
    public static Map<String, Baselines> baselines(List<Result> results) {
        Map<String, Baselines> out = new TreeMap<>();
        for (Result r : results) if (r.baselines() != null) out.putIfAbsent(r.dataset(), r.baselines());
        return out;
    }

    public static String baselinesCsv(Map<String, Baselines> baselines) {
        StringBuilder sb = new StringBuilder("dataset,raw_pixel_knn,untrained_knn,untrained_linear\n");
        baselines.forEach((d, b) -> sb.append(csvText(d)).append(',').append(fixed(b.rawPixelKnn(), 6)).append(',')
                .append(fixed(b.untrainedKnn(), 6)).append(',').append(fixed(b.untrainedLinear(), 6)).append('\n'));
        return sb.toString();
    }

    // {"runs": [one object per run, the CSV's columns], "baselines": [one object per dataset]}, one
    // object per line; missing numbers are null.
    public static String json(List<Result> results, Map<String, Baselines> baselines) {
        List<String> runs = new ArrayList<>();
        for (Result r : results) {
            List<String> f = new ArrayList<>(List.of(field("dataset", quote(r.dataset())), field("setting", quote(r.setting())),
                    field("loss", quote(r.loss())), field("tau", r.hasTau() ? plain(r.tau()) : "null"),
                    field("k", r.k() > 0 ? Integer.toString(r.k()) : "null"), field("seed", Long.toString(r.seed())),
                    field("epochs", Integer.toString(r.epochs()))));
            for (Metric m : CSV_METRICS) f.add(field(m.key, orNull(value(m, r.get(m)))));
            f.add(field("run_id", quote(r.runId())));
            runs.add("{" + String.join(", ", f) + "}");
        }
        List<String> base = new ArrayList<>();
        baselines.forEach((d, b) -> base.add("{" + String.join(", ", field("dataset", quote(d)),
                field("raw_pixel_knn", orNull(fixed(b.rawPixelKnn(), 6))), field("untrained_knn", orNull(fixed(b.untrainedKnn(), 6))),
                field("untrained_linear", orNull(fixed(b.untrainedLinear(), 6)))) + "}"));
        return "{\n  \"runs\": [" + list(runs) + "],\n  \"baselines\": [" + list(base) + "]\n}\n";
    }

    private static String list(List<String> objects) {
        return objects.isEmpty() ? "" : "\n    " + String.join(",\n    ", objects) + "\n  ";
    }

    private static String field(String key, String json) { return quote(key) + ": " + json; }

    private static String orNull(String number) { return number.isEmpty() ? "null" : number; }

    static String quote(String s) { return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"'; }

    private static String csvText(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    // The paper's Table 1 for one study: a column per (loss, τ, K), rows kNN and linear accuracy
    // (%), uniformity, tolerance, and the number of seeds; "mean ± std" where several seeds ran.
    public static Table table1(Study study) {
        List<Column> cols = study.columns();
        List<String> header = new ArrayList<>(List.of("metric"));
        cols.forEach(c -> header.add(c.label()));
        List<List<String>> rows = new ArrayList<>();
        for (Metric m : new Metric[] {Metric.KNN, Metric.LINEAR, Metric.UNIFORMITY, Metric.TOLERANCE}) {
            List<String> row = new ArrayList<>(List.of(m.label));
            for (Column c : cols) row.add(cell(c.stat(m), m));
            rows.add(row);
        }
        List<String> seeds = new ArrayList<>(List.of("seeds"));
        cols.forEach(c -> seeds.add(Integer.toString(c.runs().size())));
        rows.add(seeds);
        return new Table(header, rows);
    }

    static String cell(Stat s, Metric m) {
        if (s == null || s.n() == 0) return "–";
        double scale = m.isAccuracy() ? 100 : 1;
        int d = decimals(m);
        return fixed(s.mean() * scale, d) + (s.n() > 1 ? " ± " + fixed(s.std() * scale, d) : "");
    }

    // Decimals the report prints a metric with (accuracies in %).
    static int decimals(Metric m) {
        return switch (m) {
            case KNN, LINEAR, UNIFORMITY, ENTROPY -> 2;
            case SECONDS, TRAIN_SECONDS, VIEWS_PER_S -> 1;
            default -> 3;
        };
    }

    static String format(Metric m, double v) { return fixed(m.isAccuracy() ? 100 * v : v, decimals(m)); }

    public static Table baselinesTable(Map<String, Baselines> baselines) {
        List<List<String>> rows = new ArrayList<>();
        baselines.forEach((d, b) -> rows.add(List.of(d, pct(b.rawPixelKnn()), pct(b.untrainedKnn()), pct(b.untrainedLinear()))));
        return new Table(List.of("dataset", "raw-pixel kNN (%)", "untrained kNN (%)", "untrained linear (%)"), rows);
    }

    private static String pct(double v) { return Double.isNaN(v) ? "–" : fixed(100 * v, 2); }
}
