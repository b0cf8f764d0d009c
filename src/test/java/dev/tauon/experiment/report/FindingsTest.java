package dev.tauon.experiment.report;

import dev.tauon.experiment.report.Findings.Finding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.tauon.experiment.report.Findings.FAILS;
import static dev.tauon.experiment.report.Findings.HOLDS;
import static dev.tauon.experiment.report.Findings.NOT_COVERED;
import static org.junit.jupiter.api.Assertions.*;

// Each finding's verdict on tables built for it: one that holds, one that does not, one the grid
// cannot judge. Numbers are chosen so that a wrong rule (a flipped comparison, a missing
// tolerance, the wrong metric) changes the verdict.
class FindingsTest {
    // A finished run with only the given metrics (the rest missing).
    static Result res(String dataset, String loss, double tau, long seed, Map<Metric, Double> values) {
        double[] m = new double[Metric.values().length];
        Arrays.fill(m, Double.NaN);
        values.forEach((k, v) -> m[k.ordinal()] = v);
        return new Result(loss + tau + "-" + seed, loss + tau + "-" + seed, dataset, "bank", loss, tau, loss.startsWith("hard") ? 4095 : 0,
                seed, 10, "0.1.0", m, List.of(), null, List.of(), null);
    }

    static Result res(String loss, double tau, Map<Metric, Double> values) { return res("cifar10", loss, tau, 0, values); }

    // One run per τ of a loss with one metric.
    static List<Result> line(String loss, Metric m, double[] taus, double... v) {
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < taus.length; i++) out.add(res(loss, taus[i], Map.of(m, v[i])));
        return out;
    }

    static final double[] T4 = {0.07, 0.3, 0.7, 1.0};

    static Finding finding(int n, List<Result> runs) { return Findings.check(runs).get(n - 1); }

    static String verdict(int n, List<Result> runs) { return finding(n, runs).verdict(); }

    @SafeVarargs static List<Result> all(List<Result>... parts) {
        List<Result> out = new ArrayList<>();
        for (List<Result> p : parts) out.addAll(p);
        return out;
    }

    @Test void tenFindingsWithExactVerdictStrings() {
        List<Finding> f = Findings.check(List.of());
        assertEquals(10, f.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(i + 1, f.get(i).number());
            assertEquals("not covered", f.get(i).verdict());
            assertEquals("no finished runs", f.get(i).evidence());
            assertFalse(f.get(i).rule().isBlank());
        }
        assertEquals(List.of("holds", "does not hold", "not covered"), List.of(HOLDS, FAILS, NOT_COVERED));
    }

    @Test void finding1InvertedU() {
        assertEquals(HOLDS, verdict(1, line("infonce", Metric.LINEAR, T4, 0.80, 0.83, 0.82, 0.81)));
        Finding end = finding(1, line("infonce", Metric.LINEAR, T4, 0.80, 0.81, 0.82, 0.83));
        assertEquals(FAILS, end.verdict());
        assertTrue(end.evidence().contains("peak 83.00 at τ = 1"), end.evidence());
        // a tie between an interior τ and an end is no peak
        assertEquals(FAILS, verdict(1, line("infonce", Metric.LINEAR, T4, 0.80, 0.83, 0.82, 0.83)));
        assertEquals(NOT_COVERED, verdict(1, line("infonce", Metric.LINEAR, new double[] {0.1, 0.5}, 0.8, 0.9)));
        // kNN stands in when no linear probe ran
        Finding knn = finding(1, line("infonce", Metric.KNN, T4, 0.80, 0.83, 0.82, 0.81));
        assertEquals(HOLDS, knn.verdict());
        assertTrue(knn.evidence().startsWith("kNN acc."), knn.evidence());
    }

    @Test void finding2UniformityFallsWithNoiseTolerance() {
        Finding f = finding(2, line("infonce", Metric.UNIFORMITY, T4, 3.85, 3.86, 3.17, 2.96));   // +0.01 is noise
        assertEquals(HOLDS, f.verdict());
        assertEquals("τ = 0.07, 0.3, 0.7, 1: 3.85 < 3.86 > 3.17 > 2.96", f.evidence());
        Finding rise = finding(2, line("infonce", Metric.UNIFORMITY, T4, 3.80, 3.86, 3.17, 2.96));   // +0.06 is not
        assertEquals(FAILS, rise.verdict());
        assertTrue(rise.evidence().contains("rises by 0.060 from τ = 0.07 to 0.3"), rise.evidence());
        assertEquals(FAILS, verdict(2, line("infonce", Metric.UNIFORMITY, T4, 3.0, 3.01, 3.02, 3.02)));   // never falls
        assertEquals(NOT_COVERED, verdict(2, line("hard", Metric.UNIFORMITY, T4, 3.9, 3.8, 3.7, 3.6)));
    }

    @Test void finding3ToleranceTrend() {
        double[] t5 = {0.05, 0.1, 0.2, 0.5, 1.0};
        assertEquals(HOLDS, verdict(3, line("infonce", Metric.TOLERANCE, t5, 0.04, 0.05, 0.11, 0.18, 0.37)));
        // one dip: not strictly increasing, ρ = 0.9 ≥ 0.8
        Finding dip = finding(3, line("infonce", Metric.TOLERANCE, t5, 0.04, 0.11, 0.10, 0.18, 0.37));
        assertEquals(HOLDS, dip.verdict());
        assertTrue(dip.evidence().endsWith("Spearman ρ = 0.90"), dip.evidence());
        // ρ = 0.6
        assertEquals(FAILS, verdict(3, line("infonce", Metric.TOLERANCE, t5, 0.11, 0.04, 0.10, 0.37, 0.18)));
        assertEquals(NOT_COVERED, verdict(3, line("infonce", Metric.TOLERANCE, new double[] {0.1, 1}, 0.1, 0.3)));
    }

    static List<Result> sims(double[] pos, double[] neg1) {
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < T4.length; i++) out.add(res("infonce", T4[i], Map.of(Metric.POS, pos[i], Metric.NEG1, neg1[i])));
        return out;
    }

    @Test void finding4GapAndPositiveSimilarity() {
        Finding f = finding(4, sims(new double[] {0.5, 0.6, 0.7, 0.8}, new double[] {0.3, 0.5, 0.65, 0.78}));
        assertEquals(HOLDS, f.verdict(), f.evidence());
        assertTrue(f.evidence().contains("s_ii − s_n1: 0.200 at τ = 0.07 > 0.020 at τ = 1"), f.evidence());
        // the gap grows with τ
        assertEquals(FAILS, verdict(4, sims(new double[] {0.5, 0.6, 0.7, 0.8}, new double[] {0.45, 0.5, 0.5, 0.5})));
        // s_ii falls with τ
        assertEquals(FAILS, verdict(4, sims(new double[] {0.8, 0.7, 0.6, 0.5}, new double[] {0.3, 0.5, 0.5, 0.49})));
        assertEquals(NOT_COVERED, verdict(4, line("infonce", Metric.POS, T4, 0.5, 0.6, 0.7, 0.8)));   // no s_n1
    }

    static List<Result> withSimple(double simpleAcc, double simpleUnif) {
        return all(line("infonce", Metric.LINEAR, new double[] {0.1, 0.5}, 0.80, 0.83),
                List.of(res("infonce", 0.1, Map.of(Metric.UNIFORMITY, 3.8)), res("infonce", 0.5, Map.of(Metric.UNIFORMITY, 3.0)),
                        res("simple", Double.NaN, Map.of(Metric.LINEAR, simpleAcc, Metric.UNIFORMITY, simpleUnif))));
    }

    @Test void finding5SimpleFarBehind() {
        Finding f = finding(5, withSimple(0.75, 1.7));
        assertEquals(HOLDS, f.verdict(), f.evidence());
        assertEquals("linear acc. (%): simple 75.00, best infonce 83.00 at τ = 0.5 (8.00 points below; rule ≥ 5); "
                + "uniformity: simple 1.70 < lowest infonce 3.00 at τ = 0.5", f.evidence());
        assertEquals(FAILS, verdict(5, withSimple(0.79, 1.7)));    // 4 points below
        assertEquals(FAILS, verdict(5, withSimple(0.75, 3.1)));    // more uniform than infonce at τ 0.5
        assertEquals(NOT_COVERED, verdict(5, line("infonce", Metric.LINEAR, T4, 0.8, 0.8, 0.8, 0.8)));
    }

    static List<Result> withHardSimple(double hs) {
        return all(line("infonce", Metric.LINEAR, new double[] {0.1, 0.5}, 0.80, 0.85),
                List.of(res("simple", Double.NaN, Map.of(Metric.LINEAR, 0.75)), res("hardsimple", Double.NaN, Map.of(Metric.LINEAR, hs))));
    }

    @Test void finding6HardSimpleRecovers() {
        Finding f = finding(6, withHardSimple(0.81));
        assertEquals(HOLDS, f.verdict());
        assertTrue(f.evidence().endsWith("recovers 6.00 of the 10.00-point gap (60%; rule ≥ 50%)"), f.evidence());
        assertEquals(FAILS, verdict(6, withHardSimple(0.79)));
        assertEquals(NOT_COVERED, verdict(6, withSimple(0.75, 1.7)));
    }

    @Test void finding7HardBeatsInfoNceAtLargeTau() {
        List<Result> info = line("infonce", Metric.LINEAR, T4, 0.80, 0.83, 0.82, 0.81);
        Finding f = finding(7, all(info, line("hard", Metric.LINEAR, T4, 0.815, 0.835, 0.84, 0.84)));
        assertEquals(HOLDS, f.verdict(), f.evidence());
        assertTrue(f.evidence().contains("τ = 0.7 hard 84.00 > infonce 82.00, τ = 1 hard 84.00 > infonce 81.00"), f.evidence());
        // loses at τ = 1
        assertEquals(FAILS, verdict(7, all(info, line("hard", Metric.LINEAR, T4, 0.815, 0.835, 0.84, 0.80))));
        // beats at large τ but its curve is no flatter (range 6 points > 3)
        assertEquals(FAILS, verdict(7, all(info, line("hard", Metric.LINEAR, T4, 0.78, 0.835, 0.84, 0.84))));
        Finding nc = finding(7, all(info, line("hard", Metric.LINEAR, new double[] {0.07, 0.3}, 0.8, 0.83)));
        assertEquals(NOT_COVERED, nc.verdict());
        assertTrue(nc.evidence().startsWith("needs the hard loss at τ ≥ 0.7 and infonce at the same τ"), nc.evidence());
    }

    static List<Result> uniformTol(double[] hardU, double[] hardT) {
        List<Result> out = new ArrayList<>();
        double[] infoU = {3.86, 3.60, 3.17, 2.96}, infoT = {0.04, 0.18, 0.33, 0.37};
        for (int i = 0; i < T4.length; i++) {
            out.add(res("infonce", T4[i], Map.of(Metric.UNIFORMITY, infoU[i], Metric.TOLERANCE, infoT[i])));
            out.add(res("hard", T4[i], Map.of(Metric.UNIFORMITY, hardU[i], Metric.TOLERANCE, hardT[i])));
        }
        return out;
    }

    @Test void finding8HardUniformAndTight() {
        double[] lowT = {0.034, 0.027, 0.030, 0.030};
        assertEquals(HOLDS, verdict(8, uniformTol(new double[] {3.88, 3.89, 3.87, 3.86}, lowT)));
        // range 0.5 > 0.45 = half of infonce's 0.90
        assertEquals(FAILS, verdict(8, uniformTol(new double[] {3.88, 3.89, 3.6, 3.39}, lowT)));
        // tolerance above infonce's at τ = 0.07
        assertEquals(FAILS, verdict(8, uniformTol(new double[] {3.88, 3.89, 3.87, 3.86}, new double[] {0.05, 0.027, 0.030, 0.030})));
        assertEquals(NOT_COVERED, verdict(8, line("hard", Metric.UNIFORMITY, T4, 3.9, 3.9, 3.9, 3.9)));
    }

    static List<Result> peaks(double[] knn, double[] lin) {
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < T4.length; i++) out.add(res("infonce", T4[i], Map.of(Metric.KNN, knn[i], Metric.LINEAR, lin[i])));
        return out;
    }

    @Test void finding9KnnPeaksFirst() {
        Finding f = finding(9, peaks(new double[] {0.82, 0.81, 0.80, 0.79}, new double[] {0.80, 0.83, 0.82, 0.81}));
        assertEquals(HOLDS, f.verdict());
        assertEquals("over τ = 0.07, 0.3, 0.7, 1: kNN peaks at τ = 0.07 (82.00), linear at τ = 0.3 (83.00)", f.evidence());
        assertEquals(HOLDS, verdict(9, peaks(new double[] {0.80, 0.83, 0.82, 0.81}, new double[] {0.80, 0.83, 0.82, 0.81})));   // same τ
        assertEquals(FAILS, verdict(9, peaks(new double[] {0.80, 0.81, 0.84, 0.79}, new double[] {0.80, 0.83, 0.82, 0.81})));
        assertEquals(NOT_COVERED, verdict(9, line("infonce", Metric.KNN, T4, 0.8, 0.8, 0.8, 0.8)));
    }

    @Test void finding10EntropyStrictlyRises() {
        Finding f = finding(10, all(line("infonce", Metric.ENTROPY, T4, 5.0, 7.0, 9.0, 9.5), line("hard", Metric.ENTROPY, new double[] {0.3, 1}, 6.0, 8.0)));
        assertEquals(HOLDS, f.verdict());
        assertEquals("infonce at τ = 0.07, 0.3, 0.7, 1: 5.00 < 7.00 < 9.00 < 9.50; hard at τ = 0.3, 1: 6.00 < 8.00", f.evidence());
        // equal neighbours are not a strict rise, even in one loss
        assertEquals(FAILS, verdict(10, all(line("infonce", Metric.ENTROPY, T4, 5.0, 7.0, 9.0, 9.5), line("hard", Metric.ENTROPY, new double[] {0.3, 1}, 8.0, 8.0))));
        assertEquals(NOT_COVERED, verdict(10, line("infonce", Metric.LINEAR, T4, 0.8, 0.8, 0.8, 0.8)));
    }

    @Test void meansOverSeedsDecide() {
        // seed 1 alone would put the peak at τ = 1; the means peak at 0.3
        List<Result> runs = new ArrayList<>(line("infonce", Metric.LINEAR, T4, 0.80, 0.86, 0.82, 0.81));
        runs.add(res("cifar10", "infonce", 1.0, 1, Map.of(Metric.LINEAR, 0.87)));
        Finding f = finding(1, runs);
        assertEquals(HOLDS, f.verdict());
        assertTrue(f.evidence().contains("84.00"), f.evidence());   // τ = 1: (81 + 87) / 2
    }

    @Test void studiesAreJudgedApartAndOneFailureDecides() {
        List<Result> runs = new ArrayList<>(line("infonce", Metric.LINEAR, T4, 0.80, 0.83, 0.82, 0.81));
        for (int i = 0; i < T4.length; i++) runs.add(res("svhn", "infonce", T4[i], 0, Map.of(Metric.LINEAR, 0.80 + 0.01 * i)));
        Finding f = finding(1, runs);
        assertEquals(FAILS, f.verdict());
        assertTrue(f.evidence().startsWith("[cifar10, bank setting, 10 epochs] "), f.evidence());
        assertTrue(f.evidence().contains("; [svhn, bank setting, 10 epochs] "), f.evidence());
        // a study that cannot judge does not hide one that can
        List<Result> partly = new ArrayList<>(line("infonce", Metric.LINEAR, T4, 0.80, 0.83, 0.82, 0.81));
        partly.add(res("svhn", "infonce", 0.1, 0, Map.of(Metric.LINEAR, 0.9)));
        assertEquals(HOLDS, verdict(1, partly));
    }

    @Test void spearmanWithTies() {
        assertEquals(1.0, Findings.spearman(new double[] {1, 2, 3}, new double[] {5, 6, 7}), 1e-12);
        assertEquals(-1.0, Findings.spearman(new double[] {1, 2, 3}, new double[] {7, 6, 5}), 1e-12);
        // ranks (1, 2.5, 2.5) against (1, 2, 3): ρ = 1.5 / sqrt(2 · 1.5)
        assertEquals(1.5 / Math.sqrt(3), Findings.spearman(new double[] {1, 2, 3}, new double[] {1, 2, 2}), 1e-12);
        assertTrue(Double.isNaN(Findings.spearman(new double[] {1, 2, 3}, new double[] {4, 4, 4})));
    }
}
