package dev.tauon.experiment.report;

import dev.tauon.experiment.report.Study.Stat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;

// The ten findings of docs/paper.md §6, judged from the numbers: for each, a rule written down, the
// numbers it used and a verdict. Every comparison uses means over seeds. Several studies
// (dataset × setting × epochs) are judged one by one: one "does not hold" decides.
public final class Findings {
    public static final String HOLDS = "holds", FAILS = "does not hold", NOT_COVERED = "not covered";

    public record Finding(int number, String title, String verdict, String evidence, String rule) {}

    private record Judgement(String verdict, String evidence) {}

    private record Rule(int number, String title, String text, Function<Study, Judgement> judge) {}

    static final double UNIFORMITY_NOISE = 0.02, MIN_RHO = 0.8, SIMPLE_GAP = 0.05, LARGE_TAU = 0.7;

    private static final List<Rule> RULES = List.of(
            new Rule(1, "InfoNCE: accuracy vs τ is an inverted U",
                    "infonce at ≥ 3 τ: linear accuracy (kNN where no linear probe ran) is highest at an interior τ, above its values at the smallest and the largest τ",
                    Findings::invertedU),
            new Rule(2, "InfoNCE: uniformity falls as τ rises",
                    "infonce at ≥ 3 τ: uniformity never rises by more than " + UNIFORMITY_NOISE + " from one τ to the next (noise, and the saturation below τ ≈ 0.1), and ends lower at the largest τ than at the smallest",
                    Findings::uniformityFalls),
            new Rule(3, "InfoNCE: tolerance rises with τ",
                    "infonce at ≥ 3 τ: tolerance strictly increasing in τ, or Spearman ρ(τ, tolerance) ≥ " + MIN_RHO + " (a trend; a dip between neighbours is noise)",
                    Findings::toleranceRises),
            new Rule(4, "InfoNCE: small τ widens the gap between s_ii and the nearest negative; s_ii rises with τ",
                    "infonce at ≥ 3 τ: mean s_ii strictly increasing in τ or Spearman ρ ≥ " + MIN_RHO + ", and s_ii − s_n1 larger at the smallest τ than at the largest",
                    Findings::gapShrinks),
            new Rule(5, "Simple loss: far below the best InfoNCE, with low uniformity",
                    "simple's linear accuracy (kNN where linear is missing) ≥ 5 points below the best infonce τ's, and its uniformity below every infonce τ's",
                    Findings::simpleWorse),
            new Rule(6, "HardSimple recovers most of the gap",
                    "hardsimple's accuracy − simple's ≥ half of (best infonce τ's accuracy − simple's); linear, kNN where linear is missing",
                    Findings::hardSimpleRecovers),
            new Rule(7, "Hard loss beats InfoNCE at large τ and keeps the τ curve flat",
                    "at every τ ≥ " + LARGE_TAU + " where both ran, hard's accuracy (linear; kNN where missing) is higher than infonce's, and over the τ both ran (≥ 2) hard's accuracy range (max − min) is smaller than infonce's",
                    Findings::hardBeatsLarge),
            new Rule(8, "Hard loss: uniformity high and nearly τ-independent; tolerance low",
                    "over the τ where hard and infonce both ran (≥ 2): hard's uniformity range ≤ half of infonce's, and hard's tolerance ≤ infonce's at each of those τ",
                    Findings::hardUniform),
            new Rule(9, "InfoNCE: kNN peaks at a smaller τ than the linear probe",
                    "infonce at ≥ 3 τ with both accuracies: the τ of the best kNN accuracy ≤ the τ of the best linear accuracy (ties: the smallest such τ)",
                    Findings::knnPeaksFirst),
            new Rule(10, "H(r_i) rises strictly with τ",
                    "every loss with hardness_entropy at ≥ 2 τ: mean H(r_i) strictly increasing in τ",
                    Findings::entropyRises));

    private Findings() {}

    public static List<Finding> check(List<Result> results) {
        List<Study> studies = Study.of(results);
        List<Finding> out = new ArrayList<>();
        for (Rule rule : RULES) {
            List<String> covered = new ArrayList<>(), missing = new ArrayList<>();
            boolean fails = false;
            for (Study s : studies) {
                Judgement j = rule.judge().apply(s);
                String text = (studies.size() > 1 ? "[" + s.title() + "] " : "") + j.evidence();
                if (j.verdict().equals(NOT_COVERED)) missing.add(text);
                else covered.add(text);
                fails |= j.verdict().equals(FAILS);
            }
            String verdict = fails ? FAILS : covered.isEmpty() ? NOT_COVERED : HOLDS;
            String evidence = studies.isEmpty() ? "no finished runs" : String.join("; ", covered.isEmpty() ? missing : covered);
            out.add(new Finding(rule.number(), rule.title(), verdict, evidence, rule.text()));
        }
        return List.copyOf(out);
    }

    private static Judgement judged(boolean holds, String evidence) { return new Judgement(holds ? HOLDS : FAILS, evidence); }

    private static Judgement notCovered(String needs) { return new Judgement(NOT_COVERED, needs); }

    // 1: the best accuracy at an interior τ.
    private static Judgement invertedU(Study s) {
        Metric m = s.byTau("infonce", Metric.LINEAR).size() >= 3 ? Metric.LINEAR : Metric.KNN;
        SortedMap<Double, Stat> acc = s.byTau("infonce", m);
        if (acc.size() < 3) return notCovered("needs infonce runs at ≥ 3 temperatures (has " + acc.size() + ")");
        double[] v = means(acc);
        int peak = argmax(v);
        boolean holds = v[0] < v[peak] && v[v.length - 1] < v[peak];
        return judged(holds, m.label + " at " + taus(acc.keySet()) + ": " + list(m, v) + "; peak " + Tables.format(m, v[peak])
                + " at τ = " + Tables.plain(key(acc, peak)) + (holds ? " (interior)" : " (not above both ends)"));
    }

    // 2: uniformity non-increasing up to noise, and lower at the end.
    private static Judgement uniformityFalls(Study s) {
        SortedMap<Double, Stat> u = s.byTau("infonce", Metric.UNIFORMITY);
        if (u.size() < 3) return notCovered("needs infonce runs at ≥ 3 temperatures with uniformity (has " + u.size() + ")");
        double[] v = means(u);
        StringBuilder why = new StringBuilder();
        for (int i = 0; i + 1 < v.length; i++) {
            if (v[i + 1] - v[i] > UNIFORMITY_NOISE) {
                why.append("; rises by ").append(Tables.fixed(v[i + 1] - v[i], 3)).append(" from τ = ").append(Tables.plain(key(u, i)))
                        .append(" to ").append(Tables.plain(key(u, i + 1)));
            }
        }
        boolean falls = v[v.length - 1] < v[0];
        if (!falls) why.append("; no lower at the largest τ than at the smallest");
        return judged(why.isEmpty(), taus(u.keySet()) + ": " + chain(Metric.UNIFORMITY, v) + why);
    }

    // 3: tolerance increasing (strictly or by rank correlation).
    private static Judgement toleranceRises(Study s) {
        SortedMap<Double, Stat> t = s.byTau("infonce", Metric.TOLERANCE);
        if (t.size() < 3) return notCovered("needs infonce runs at ≥ 3 temperatures with tolerance (has " + t.size() + ")");
        double[] v = means(t);
        double rho = spearman(keys(t), v);
        return judged(increasing(v) || rho >= MIN_RHO, taus(t.keySet()) + ": " + chain(Metric.TOLERANCE, v) + "; Spearman ρ = " + rho(rho));
    }

    // 4: s_ii rises with τ; s_ii − s_n1 larger at the smallest τ than at the largest.
    private static Judgement gapShrinks(Study s) {
        SortedMap<Double, Stat> pos = s.byTau("infonce", Metric.POS), neg = s.byTau("infonce", Metric.NEG1);
        pos.keySet().retainAll(neg.keySet());
        if (pos.size() < 3) return notCovered("needs infonce runs at ≥ 3 temperatures with pos_similarity and neg1_similarity (has " + pos.size() + ")");
        double[] p = means(pos);
        int last = p.length - 1;
        double rho = spearman(keys(pos), p);
        double gapFirst = p[0] - neg.get(pos.firstKey()).mean(), gapLast = p[last] - neg.get(pos.lastKey()).mean();
        boolean rises = increasing(p) || rho >= MIN_RHO;
        return judged(rises && gapFirst > gapLast, "s_ii at " + taus(pos.keySet()) + ": " + chain(Metric.POS, p) + " (Spearman ρ = "
                + rho(rho) + "); s_ii − s_n1: " + Tables.fixed(gapFirst, 3) + " at τ = " + Tables.plain(pos.firstKey())
                + (gapFirst > gapLast ? " > " : " ≤ ") + Tables.fixed(gapLast, 3) + " at τ = " + Tables.plain(pos.lastKey()));
    }

    // 5: simple ≥ 5 points below the best infonce, and less uniform than every infonce τ.
    private static Judgement simpleWorse(Study s) {
        Metric m = accuracy(s, "simple", "infonce");
        Stat su = s.untempered("simple", Metric.UNIFORMITY);
        SortedMap<Double, Stat> iu = s.byTau("infonce", Metric.UNIFORMITY);
        if (m == null || su == null || iu.isEmpty()) return notCovered("needs simple runs and infonce runs, with an accuracy and uniformity");
        double simple = s.untempered("simple", m).mean();
        SortedMap<Double, Stat> acc = s.byTau("infonce", m);
        int best = argmax(means(acc));
        double gap = means(acc)[best] - simple;
        int lowest = argmin(means(iu));
        double lowU = means(iu)[lowest];
        return judged(gap >= SIMPLE_GAP && su.mean() < lowU, m.label + ": simple " + Tables.format(m, simple) + ", best infonce "
                + Tables.format(m, means(acc)[best]) + " at τ = " + Tables.plain(key(acc, best)) + " (" + Tables.fixed(100 * gap, 2)
                + " points below; rule ≥ 5); uniformity: simple " + Tables.format(Metric.UNIFORMITY, su.mean())
                + (su.mean() < lowU ? " < " : " ≥ ") + "lowest infonce " + Tables.format(Metric.UNIFORMITY, lowU) + " at τ = " + Tables.plain(key(iu, lowest)));
    }

    // 6: hardsimple closes at least half of the simple → best-infonce gap.
    private static Judgement hardSimpleRecovers(Study s) {
        Metric m = accuracy(s, "simple", "hardsimple", "infonce");
        if (m == null) return notCovered("needs simple, hardsimple and infonce runs with an accuracy");
        double simple = s.untempered("simple", m).mean(), hs = s.untempered("hardsimple", m).mean();
        SortedMap<Double, Stat> acc = s.byTau("infonce", m);
        int best = argmax(means(acc));
        double gap = means(acc)[best] - simple, recovered = hs - simple;
        return judged(recovered >= 0.5 * gap, m.label + ": simple " + Tables.format(m, simple) + ", hardsimple " + Tables.format(m, hs)
                + ", best infonce " + Tables.format(m, means(acc)[best]) + " at τ = " + Tables.plain(key(acc, best)) + ": recovers "
                + Tables.fixed(100 * recovered, 2) + " of the " + Tables.fixed(100 * gap, 2) + "-point gap"
                + (gap > 0 ? " (" + Math.round(100 * recovered / gap) + "%; rule ≥ 50%)" : ""));
    }

    // 7: hard > infonce at every shared τ ≥ 0.7; hard's accuracy range over the shared τ smaller.
    private static Judgement hardBeatsLarge(Study s) {
        Metric m = s.byTau("hard", Metric.LINEAR).isEmpty() || s.byTau("infonce", Metric.LINEAR).isEmpty() ? Metric.KNN : Metric.LINEAR;
        SortedMap<Double, Stat> hard = s.byTau("hard", m), info = s.byTau("infonce", m);
        hard.keySet().retainAll(info.keySet());
        info.keySet().retainAll(hard.keySet());
        List<Double> large = hard.keySet().stream().filter(t -> t >= LARGE_TAU - 1e-9).toList();
        if (large.isEmpty() || hard.size() < 2) {
            return notCovered("needs the hard loss at τ ≥ " + LARGE_TAU + " and infonce at the same τ, both at ≥ 2 shared τ (shared: "
                    + (hard.isEmpty() ? "none" : taus(hard.keySet())) + ")");
        }
        boolean beats = true;
        List<String> at = new ArrayList<>();
        for (double t : large) {
            double h = hard.get(t).mean(), i = info.get(t).mean();
            beats &= h > i;
            at.add("τ = " + Tables.plain(t) + " hard " + Tables.format(m, h) + (h > i ? " > " : " ≤ ") + "infonce " + Tables.format(m, i));
        }
        double rh = range(means(hard)), ri = range(means(info));
        return judged(beats && rh < ri, m.label + ": " + String.join(", ", at) + "; range over " + taus(hard.keySet()) + ": hard "
                + Tables.fixed(100 * rh, 2) + (rh < ri ? " < " : " ≥ ") + "infonce " + Tables.fixed(100 * ri, 2) + " points");
    }

    // 8: hard's uniformity range ≤ half of infonce's; hard's tolerance ≤ infonce's at each shared τ.
    private static Judgement hardUniform(Study s) {
        SortedMap<Double, Stat> hu = s.byTau("hard", Metric.UNIFORMITY), iu = s.byTau("infonce", Metric.UNIFORMITY);
        SortedMap<Double, Stat> ht = s.byTau("hard", Metric.TOLERANCE), it = s.byTau("infonce", Metric.TOLERANCE);
        Set<Double> shared = new TreeSet<>(hu.keySet());
        shared.retainAll(iu.keySet());
        shared.retainAll(ht.keySet());
        shared.retainAll(it.keySet());
        if (shared.size() < 2) return notCovered("needs the hard loss and infonce at ≥ 2 shared τ with uniformity and tolerance (has " + shared.size() + ")");
        for (var map : List.of(hu, iu, ht, it)) map.keySet().retainAll(shared);
        double rh = range(means(hu)), ri = range(means(iu));
        boolean lowTol = true;
        List<String> tol = new ArrayList<>();
        for (double t : shared) {
            double h = ht.get(t).mean(), i = it.get(t).mean();
            lowTol &= h <= i;
            tol.add("τ = " + Tables.plain(t) + " " + Tables.format(Metric.TOLERANCE, h) + (h <= i ? " ≤ " : " > ") + Tables.format(Metric.TOLERANCE, i));
        }
        return judged(rh <= 0.5 * ri && lowTol, "uniformity range over " + taus(shared) + ": hard " + Tables.fixed(rh, 3)
                + (rh <= 0.5 * ri ? " ≤ " : " > ") + "half of infonce's " + Tables.fixed(ri, 3) + "; tolerance hard vs infonce: " + String.join(", ", tol));
    }

    // 9: argmax τ of kNN ≤ argmax τ of linear.
    private static Judgement knnPeaksFirst(Study s) {
        SortedMap<Double, Stat> knn = s.byTau("infonce", Metric.KNN), lin = s.byTau("infonce", Metric.LINEAR);
        knn.keySet().retainAll(lin.keySet());
        lin.keySet().retainAll(knn.keySet());
        if (knn.size() < 3) return notCovered("needs infonce runs at ≥ 3 temperatures with both kNN and linear accuracy (has " + knn.size() + ")");
        int k = argmax(means(knn)), l = argmax(means(lin));
        double tk = key(knn, k), tl = key(lin, l);
        return judged(tk <= tl, "over " + taus(knn.keySet()) + ": kNN peaks at τ = " + Tables.plain(tk) + " (" + Tables.format(Metric.KNN, means(knn)[k])
                + "), linear at τ = " + Tables.plain(tl) + " (" + Tables.format(Metric.LINEAR, means(lin)[l]) + ")");
    }

    // 10: H(r_i) strictly increasing in τ, for every loss with ≥ 2 τ.
    private static Judgement entropyRises(Study s) {
        Set<String> losses = new LinkedHashSet<>();
        s.columns().forEach(c -> { if (c.hasTau()) losses.add(c.loss()); });
        List<String> parts = new ArrayList<>();
        boolean holds = true;
        for (String loss : losses) {
            SortedMap<Double, Stat> h = s.byTau(loss, Metric.ENTROPY);
            if (h.size() < 2) continue;
            holds &= increasing(means(h));
            parts.add(loss + " at " + taus(h.keySet()) + ": " + chain(Metric.ENTROPY, means(h)));
        }
        if (parts.isEmpty()) return notCovered("needs runs of a loss with τ at ≥ 2 temperatures with hardness_entropy");
        return judged(holds, String.join("; ", parts));
    }

    // The accuracy every named loss has: linear where all have it, else kNN, else null.
    private static Metric accuracy(Study s, String... losses) {
        for (Metric m : new Metric[] {Metric.LINEAR, Metric.KNN}) {
            boolean all = true;
            for (String loss : losses) {
                all &= loss.equals("infonce") ? !s.byTau(loss, m).isEmpty() : s.untempered(loss, m) != null;
            }
            if (all) return m;
        }
        return null;
    }

    static double[] means(SortedMap<Double, Stat> m) { return m.values().stream().mapToDouble(Stat::mean).toArray(); }

    private static double[] keys(SortedMap<Double, Stat> m) { return m.keySet().stream().mapToDouble(Double::doubleValue).toArray(); }

    private static double key(SortedMap<Double, Stat> m, int i) { return keys(m)[i]; }

    private static String taus(Set<Double> taus) {
        return "τ = " + String.join(", ", taus.stream().map(Tables::plain).toList());
    }

    private static String list(Metric m, double[] v) {
        List<String> out = new ArrayList<>();
        for (double x : v) out.add(Tables.format(m, x));
        return String.join(", ", out);
    }

    // "3.41 > 3.12 ≈ 3.12 < 3.20": each neighbour compared on the unrounded means.
    static String chain(Metric m, double[] v) {
        StringBuilder sb = new StringBuilder(Tables.format(m, v[0]));
        for (int i = 1; i < v.length; i++) {
            String a = Tables.format(m, v[i - 1]), b = Tables.format(m, v[i]);
            String op = v[i] > v[i - 1] ? (a.equals(b) ? " ≈ " : " < ") : v[i] < v[i - 1] ? (a.equals(b) ? " ≈ " : " > ") : " = ";
            sb.append(op).append(b);
        }
        return sb.toString();
    }

    private static String rho(double r) { return Double.isNaN(r) ? "undefined" : Tables.fixed(r, 2); }

    static boolean increasing(double[] v) {
        for (int i = 1; i < v.length; i++) if (!(v[i] > v[i - 1])) return false;
        return true;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] < v[best]) best = i;
        return best;
    }

    private static double range(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(0) - java.util.Arrays.stream(v).min().orElse(0);
    }

    // Spearman's rank correlation (ties get their mean rank); NaN when either side is constant.
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x), ry = ranks(y);
        double mx = 0, my = 0;
        for (int i = 0; i < rx.length; i++) { mx += rx[i]; my += ry[i]; }
        mx /= rx.length;
        my /= ry.length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int below = 0, equal = 0;
            for (double w : v) { if (w < v[i]) below++; else if (w == v[i]) equal++; }
            r[i] = below + (equal + 1) / 2.0;
        }
        return r;
    }
}
