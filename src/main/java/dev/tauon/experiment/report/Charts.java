package dev.tauon.experiment.report;

import dev.tauon.experiment.report.Figure.Box;
import dev.tauon.experiment.report.Figure.Panel;
import dev.tauon.experiment.report.Figure.Series;
import dev.tauon.experiment.report.Study.Column;
import dev.tauon.experiment.report.Study.Stat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

// The report's plots as data, built from a study: accuracy, uniformity, tolerance and H(r_i)
// against τ (the τ-free losses as horizontal lines), the similarity ranks per τ (Fig. 4), the
// hardness profile (Fig. 2) and the training curves. A plot the runs cannot fill is left out.
public final class Charts {
    static final int WIDTH = 800, HEIGHT = 500, PANEL_HEIGHT = 280;
    static final String TAU = "temperature τ";

    private Charts() {}

    // Every study's figures; file names get the study's slug when there are several studies.
    public static List<Figure> of(List<Study> studies) {
        List<Figure> out = new ArrayList<>();
        for (Study s : studies) out.addAll(of(s, studies.size() > 1 ? "-" + s.slug() : ""));
        return out;
    }

    static List<Figure> of(Study s, String suffix) {
        String in = " (" + s.dataset() + ", " + s.setting() + ", " + s.epochs() + " epochs)";
        List<Figure> out = new ArrayList<>();
        add(out, versusTau(s, "accuracy_vs_tau" + suffix, "Accuracy vs τ" + in, "top-1 accuracy (%)", Metric.LINEAR, Metric.KNN));
        add(out, versusTau(s, "uniformity_vs_tau" + suffix, "Uniformity vs τ" + in, "uniformity −L_unif (higher = more uniform)", Metric.UNIFORMITY));
        add(out, versusTau(s, "tolerance_vs_tau" + suffix, "Tolerance vs τ" + in, "tolerance (mean same-class similarity)", Metric.TOLERANCE));
        add(out, ranks(s, "similarity_ranks" + suffix, in));
        add(out, profile(s, "hardness_profile" + suffix, in));
        add(out, versusTau(s, "hardness_entropy_vs_tau" + suffix, "Entropy of the hardness distribution H(r_i) vs τ" + in, "H(r_i) (nats)", Metric.ENTROPY));
        add(out, training(s, "training_loss" + suffix, "Training loss per epoch" + in, "mean training loss", false));
        add(out, training(s, "training_knn" + suffix, "kNN monitor per epoch" + in, "kNN top-1 accuracy (%)", true));
        return out;
    }

    private static void add(List<Figure> out, Figure f) { if (f != null) out.add(f); }

    // A line per loss with τ and metric (mean over seeds, ± std bars); a horizontal line per
    // τ-free loss and metric across the τ range. Null when no run has a τ. A collapsed run
    // (Result.collapsed) is a cross apart from its loss's line; when one lies far outside the other
    // values (a probe at chance below accuracies of 80 %), the axis keeps to those values and the
    // cross sits on its edge, its legend giving its value and "off scale", so the curves stay readable.
    static Figure.Xy versusTau(Study s, String file, String title, String yLabel, Metric... metrics) {
        List<Column> cols = s.columns();
        double lo = cols.stream().filter(Column::hasTau).mapToDouble(Column::tau).min().orElse(Double.NaN);
        double hi = cols.stream().filter(Column::hasTau).mapToDouble(Column::tau).max().orElse(Double.NaN);
        if (Double.isNaN(lo)) return null;
        if (lo == hi) { lo *= 0.8; hi *= 1.2; }
        Set<String> tempered = new LinkedHashSet<>(), free = new LinkedHashSet<>();
        for (Column c : cols) (c.hasTau() ? tempered : free).add(c.loss());
        List<Series> series = new ArrayList<>();
        for (String loss : tempered) {
            Set<Double> down = s.collapsedTaus(loss);
            for (int j = 0; j < metrics.length; j++) {
                Metric m = metrics[j];
                SortedMap<Double, Stat> by = s.byTau(loss, m);
                if (by.isEmpty()) continue;
                double scale = m.isAccuracy() ? 100 : 1;
                List<Double> up = by.keySet().stream().filter(t -> !down.contains(t)).toList();
                List<Double> fell = by.keySet().stream().filter(down::contains).toList();
                if (!up.isEmpty()) {
                    double[] x = up.stream().mapToDouble(Double::doubleValue).toArray();
                    double[] y = up.stream().mapToDouble(t -> by.get(t).mean() * scale).toArray();
                    double[] err = up.stream().mapToDouble(t -> Double.isNaN(by.get(t).std()) ? 0 : by.get(t).std() * scale).toArray();
                    boolean anyErr = java.util.Arrays.stream(err).anyMatch(e -> e > 0);
                    series.add(new Series(name(loss, m, metrics), x, y, anyErr ? err : null, j > 0, false, loss));
                }
                if (!fell.isEmpty()) {
                    series.add(new Series(name(loss, m, metrics) + " collapsed", fell.stream().mapToDouble(Double::doubleValue).toArray(),
                            fell.stream().mapToDouble(t -> by.get(t).mean() * scale).toArray(), null, false, false, loss, true));
                }
            }
        }
        for (String loss : free) {
            boolean down = cols.stream().anyMatch(c -> c.loss().equals(loss) && !c.hasTau() && c.collapsed());
            for (int j = 0; j < metrics.length; j++) {
                Stat st = s.untempered(loss, metrics[j]);
                if (st == null) continue;
                double v = st.mean() * (metrics[j].isAccuracy() ? 100 : 1);
                series.add(new Series(name(loss, metrics[j], metrics) + (down ? " collapsed" : ""), new double[] {lo, hi}, new double[] {v, v},
                        null, j > 0, true, loss));
            }
        }
        if (series.isEmpty()) return null;
        return offScale(new Figure.Xy(file, title, TAU, yLabel, false, series, WIDTH, HEIGHT));
    }

    // Fits the y axis to the lines (with their ± bars) when a cross lies more than the lines' own
    // span beyond them, and moves such crosses onto the axis's edge, their names giving the value.
    static Figure.Xy offScale(Figure.Xy f) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (Series s : f.series()) {
            if (s.marks()) continue;
            for (int i = 0; i < s.y().length; i++) {
                double e = s.err() == null ? 0 : s.err()[i];
                min = Math.min(min, s.y()[i] - e);
                max = Math.max(max, s.y()[i] + e);
            }
        }
        if (min > max) return f;                                // only crosses: nothing to keep to
        double span = Math.max(max - min, 1e-9 + 0.01 * Math.abs(max)), lo = min - 0.05 * span, hi = max + 0.05 * span;
        double farBelow = min - span, farAbove = max + span;
        boolean far = f.series().stream().filter(Series::marks).flatMapToDouble(s -> java.util.Arrays.stream(s.y()))
                .anyMatch(y -> y < farBelow || y > farAbove);
        if (!far) return f;
        List<Series> out = new ArrayList<>();
        for (Series s : f.series()) {
            if (!s.marks()) { out.add(s); continue; }
            double[] y = s.y().clone();
            List<String> off = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] >= lo && y[i] <= hi) continue;
                off.add(String.format(java.util.Locale.ROOT, "%.2f", y[i]));
                y[i] = y[i] < lo ? lo : hi;
            }
            String name = off.isEmpty() ? s.name() : s.name() + " (" + String.join(", ", off) + ", off scale)";
            out.add(new Series(name, s.x(), y, null, s.dashed(), false, s.colour(), true));
        }
        return new Figure.Xy(f.file(), f.title(), f.xLabel(), f.yLabel(), f.logY(), out, f.width(), f.height(), lo, hi);
    }

    private static String name(String loss, Metric m, Metric[] metrics) {
        String label = Study.lossLabel(loss);
        if (metrics.length > 1) label += m == Metric.KNN ? " kNN" : m == Metric.LINEAR ? " linear" : " " + m.key;
        return label;
    }

    // Fig. 4: per τ of the infonce loss, boxes of s_ii (pos) and the 1st … 10th nearest negative
    // similarities, each quartile the mean over the τ's seeds.
    static Figure.Boxes ranks(Study s, String file, String in) {
        List<Panel> panels = new ArrayList<>();
        int k = s.mainK("infonce");
        for (Column c : s.columns()) {
            if (!c.loss().equals("infonce") || !c.hasTau() || c.k() != k) continue;
            List<Result> runs = c.runs().stream().filter(r -> !r.ranks().isEmpty()).toList();
            if (runs.isEmpty()) continue;
            List<Box> boxes = new ArrayList<>();
            for (String name : Results.RANKS) {
                List<Result.Quartiles> qs = new ArrayList<>();
                for (Result r : runs) r.ranks().stream().filter(q -> q.name().equals(name)).findFirst().ifPresent(qs::add);
                if (qs.size() != runs.size()) continue;
                boxes.add(new Box(name, mean(qs, Result.Quartiles::min), mean(qs, Result.Quartiles::q1), mean(qs, Result.Quartiles::median),
                        mean(qs, Result.Quartiles::q3), mean(qs, Result.Quartiles::max)));
            }
            if (boxes.isEmpty()) continue;
            panels.add(new Panel("τ = " + Tables.plain(c.tau()) + (runs.size() > 1 ? " (mean of " + runs.size() + " seeds)" : ""), boxes));
        }
        if (panels.isEmpty()) return null;
        int rows = (panels.size() + 1) / 2;
        return new Figure.Boxes(file, "Similarity ranks per τ, InfoNCE" + in,
                "cosine similarity to the anchor", panels, WIDTH, 40 + PANEL_HEIGHT * rows);
    }

    private static double mean(List<Result.Quartiles> qs, java.util.function.ToDoubleFunction<Result.Quartiles> f) {
        return qs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    // Fig. 2: the mean relative penalty r against similarity s, a line per τ of the infonce loss
    // (the lowest seed's run at each τ); empty bins (no pairs, r = 0) are left out of the log axis.
    static Figure.Xy profile(Study s, String file, String in) {
        List<Series> series = new ArrayList<>();
        Set<Long> seeds = new LinkedHashSet<>();
        int k = s.mainK("infonce");
        for (Column c : s.columns()) {
            if (!c.loss().equals("infonce") || !c.hasTau() || c.k() != k) continue;
            Result run = c.runs().stream().filter(r -> r.hardness() != null)
                    .min(java.util.Comparator.comparingLong(Result::seed)).orElse(null);
            if (run == null) continue;
            Result.Profile p = run.hardness();
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < p.s().length; i++) {
                if (p.count()[i] > 0 && p.r()[i] > 0 && Double.isFinite(p.r()[i]) && Double.isFinite(p.s()[i])) pts.add(new double[] {p.s()[i], p.r()[i]});
            }
            if (pts.isEmpty()) continue;
            seeds.add(run.seed());
            series.add(new Series("τ = " + Tables.plain(c.tau()), pts.stream().mapToDouble(q -> q[0]).toArray(),
                    pts.stream().mapToDouble(q -> q[1]).toArray(), null, false, false, null));
        }
        if (series.isEmpty()) return null;
        String seed = seeds.size() == 1 ? "seed " + seeds.iterator().next() : "lowest seed per τ";
        return new Figure.Xy(file, "Hardness profile, InfoNCE, " + seed + in,
                "similarity s_ij of a negative to the anchor", "mean relative penalty r_ij (log scale)", true, series, WIDTH, HEIGHT);
    }

    // A line per run: the epoch's mean training loss, or the kNN monitor's accuracy (%).
    static Figure.Xy training(Study s, String file, String title, String yLabel, boolean knn) {
        List<Series> series = new ArrayList<>();
        for (Column c : s.columns()) {
            for (Result r : c.runs()) {
                List<Result.Epoch> pts = r.history().stream().filter(e -> !Double.isNaN(knn ? e.knn() : e.loss())).toList();
                if (pts.isEmpty()) continue;
                boolean twin = c.runs().stream().filter(o -> o.seed() == r.seed()).count() > 1;   // runs that differ elsewhere
                series.add(new Series(c.label() + " s" + r.seed() + (twin ? " " + r.runId() : ""), pts.stream().mapToDouble(Result.Epoch::epoch).toArray(),
                        pts.stream().mapToDouble(e -> knn ? 100 * e.knn() : e.loss()).toArray(), null, false, false, null));
            }
        }
        if (series.isEmpty()) return null;
        // the legend lists every run (about 20 px each): a large sweep gets a taller picture
        return new Figure.Xy(file, title, "epoch", yLabel, false, series, WIDTH, Math.max(HEIGHT, 80 + 20 * series.size()));
    }
}
