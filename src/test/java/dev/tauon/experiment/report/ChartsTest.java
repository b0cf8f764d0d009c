package dev.tauon.experiment.report;

import dev.tauon.experiment.report.Figure.Series;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

// The series handed to each chart (names, x, y, bars), checked against the numbers FakeRuns
// wrote, without drawing a pixel.
class ChartsTest {
    @TempDir static Path tmp;
    static List<Figure> figures;

    @BeforeAll static void build() throws Exception {
        figures = Charts.of(Study.of(Results.load(FakeRuns.sweep(tmp, FakeRuns.paperLike())).results()));
    }

    static <F extends Figure> F figure(String file, Class<F> type) {
        return type.cast(figures.stream().filter(f -> f.file().equals(file)).findFirst().orElseThrow(() -> new AssertionError("no " + file)));
    }

    static Series series(Figure.Xy f, String name) {
        return f.series().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no series " + name));
    }

    static final double[] TAUS = {0.05, 0.1, 0.2, 0.5, 1.0};

    @Test void everyPlotOnce() {
        assertEquals(List.of("accuracy_vs_tau", "uniformity_vs_tau", "tolerance_vs_tau", "similarity_ranks", "hardness_profile",
                "hardness_entropy_vs_tau", "training_loss", "training_knn"), figures.stream().map(Figure::file).toList());
    }

    @Test void accuracyVsTau() {
        Figure.Xy f = figure("accuracy_vs_tau", Figure.Xy.class);
        assertEquals(List.of("InfoNCE linear", "InfoNCE kNN", "Hard linear", "Hard kNN", "Simple linear", "Simple kNN",
                "HardSimple linear", "HardSimple kNN"), f.series().stream().map(Series::name).toList());
        Series lin = series(f, "InfoNCE linear");
        assertArrayEquals(TAUS, lin.x());
        // seeds 0 and 1 differ by 0.4 points: mean +0.2, sample std 0.4/√2
        assertArrayEquals(new double[] {80.2, 83.2, 85.2, 84.2, 82.2}, lin.y(), 1e-9);
        for (double e : lin.err()) assertEquals(0.4 / Math.sqrt(2), e, 1e-9);
        assertFalse(lin.dashed() || lin.reference());
        assertTrue(series(f, "InfoNCE kNN").dashed());
        Series hard = series(f, "Hard linear");
        assertArrayEquals(new double[] {0.2, 0.5, 1.0}, hard.x());
        assertNull(hard.err(), "one seed: no bars");
        Series simple = series(f, "Simple linear");
        assertTrue(simple.reference());
        assertArrayEquals(new double[] {0.05, 1.0}, simple.x());
        assertArrayEquals(new double[] {74.8, 74.8}, simple.y(), 1e-9);
        assertEquals("simple", simple.colour());
        assertEquals("temperature τ", f.xLabel());
    }

    @Test void uniformityToleranceAndEntropyVsTau() {
        Figure.Xy u = figure("uniformity_vs_tau", Figure.Xy.class);
        assertEquals(List.of("InfoNCE", "Hard", "Simple", "HardSimple"), u.series().stream().map(Series::name).toList());
        assertArrayEquals(new double[] {3.862, 3.852, 3.742, 3.342, 2.962}, series(u, "InfoNCE").y(), 1e-9);
        assertArrayEquals(new double[] {0.052, 0.062, 0.112, 0.272, 0.372}, series(figure("tolerance_vs_tau", Figure.Xy.class), "InfoNCE").y(), 1e-9);
        Figure.Xy h = figure("hardness_entropy_vs_tau", Figure.Xy.class);
        assertEquals(List.of("InfoNCE", "Hard"), h.series().stream().map(Series::name).toList(), "no H(r_i) without τ");
        assertArrayEquals(new double[] {6.2, 6.4, 6.8, 8.0, 10.0}, series(h, "InfoNCE").y(), 1e-9);
    }

    @Test void similarityRanksPerTau() {
        Figure.Boxes b = figure("similarity_ranks", Figure.Boxes.class);
        assertEquals(List.of("τ = 0.05 (mean of 2 seeds)", "τ = 0.1 (mean of 2 seeds)", "τ = 0.2 (mean of 2 seeds)",
                "τ = 0.5 (mean of 2 seeds)", "τ = 1 (mean of 2 seeds)"), b.panels().stream().map(Figure.Panel::title).toList());
        List<Figure.Box> boxes = b.panels().getFirst().boxes();
        assertEquals(List.of(Results.RANKS), boxes.stream().map(Figure.Box::name).toList());
        Figure.Box pos = boxes.getFirst(), n10 = boxes.get(10);
        assertEquals(0.425, pos.median(), 1e-9);   // 0.4 + 0.5 τ
        assertEquals(0.125, pos.min(), 1e-9);
        assertEquals(0.485, pos.q3(), 1e-9);
        assertEquals(0.28 - 0.09, n10.median(), 1e-9);
        assertEquals(800, b.width());
        assertEquals(40 + 3 * Charts.PANEL_HEIGHT, b.height());
    }

    @Test void hardnessProfileSkipsEmptyBins() {
        Figure.Xy p = figure("hardness_profile", Figure.Xy.class);
        assertTrue(p.logY());
        assertEquals(List.of("τ = 0.05", "τ = 0.1", "τ = 0.2", "τ = 0.5", "τ = 1"), p.series().stream().map(Series::name).toList());
        Series s = series(p, "τ = 0.2");
        assertEquals(18, s.x().length, "bins 0 and 1 have no pairs");
        assertEquals(-0.75, s.x()[0], 1e-9);
        // r ∝ e^{s/τ}: neighbouring bins 0.1 apart differ by e^{0.1/τ}
        assertEquals(Math.exp(0.1 / 0.2), s.y()[5] / s.y()[4], 1e-4);
        assertTrue(p.title().contains("seed 0"), p.title());
    }

    @Test void trainingCurvesOnePerRun() {
        Figure.Xy loss = figure("training_loss", Figure.Xy.class), knn = figure("training_knn", Figure.Xy.class);
        assertEquals(15, loss.series().size());
        assertEquals("InfoNCE 0.05 s0", loss.series().getFirst().name());
        assertEquals("InfoNCE 0.05 s1", loss.series().get(1).name());
        assertArrayEquals(new double[] {1, 2, 3, 4}, loss.series().getFirst().x());
        Series k = series(knn, "Simple s0");
        assertArrayEquals(new double[] {1, 3, 4}, k.x(), "epoch 2 ran no monitor");
        assertArrayEquals(new double[] {62.5, 67.5, 70.0}, k.y(), 1e-9);
    }

    @Test void runsOfOneSeedInOneColumnAreToldApart() {
        Result a = FindingsTest.res("infonce", 0.1, Map.of(Metric.LINEAR, 0.7));
        List<Result.Epoch> h = List.of(new Result.Epoch(1, 5.0, 0.5));
        Result x = new Result("x", "lr-0.1", "cifar10", "bank", "infonce", 0.1, 0, 0, 10, null, a.metrics(), List.of(), null, h, null);
        Result y = new Result("y", "lr-0.5", "cifar10", "bank", "infonce", 0.1, 0, 0, 10, null, a.metrics(), List.of(), null, h, null);
        Study s = Study.of(List.of(x, y)).getFirst();
        assertEquals(List.of("InfoNCE 0.1 s0 lr-0.1", "InfoNCE 0.1 s0 lr-0.5"),
                Charts.training(s, "t", "t", "loss", false).series().stream().map(Series::name).toList());
        assertTrue(s.twinsNote().endsWith("averaged like seeds): InfoNCE 0.1."), s.twinsNote());
        assertNull(Study.of(List.of(x)).getFirst().twinsNote());
    }

    @Test void withoutTemperaturesOnlyTrainingCurves() {
        List<Result> runs = List.of(FindingsTest.res("simple", Double.NaN, Map.of(Metric.LINEAR, 0.7)));
        assertEquals(List.of(), Charts.of(Study.of(runs)), "no τ axis, no ranks of infonce, no history");
    }

    @Test void severalStudiesGetTheirOwnFiles() {
        List<Result> runs = List.of(FindingsTest.res("cifar10", "infonce", 0.1, 0, Map.of(Metric.LINEAR, 0.7)),
                FindingsTest.res("svhn", "infonce", 0.1, 0, Map.of(Metric.LINEAR, 0.9)));
        List<String> files = Charts.of(Study.of(runs)).stream().map(Figure::file).toList();
        assertEquals(List.of("accuracy_vs_tau-cifar10-bank-10ep", "accuracy_vs_tau-svhn-bank-10ep"), files);
    }

    // A collapsed run (−L_unif below 0.05) leaves its loss's line and becomes a cross; when it lies
    // far below the rest (a probe at chance), the axis keeps to the lines and the cross sits on
    // the edge with its value in the legend. Uniformity at 0 is near enough to draw in place.
    @Test void collapsedRunsAreCrossesAndOffScaleWhenFar() {
        List<Result> runs = new java.util.ArrayList<>();
        for (double t : new double[] {0.2, 0.5, 1.0}) {
            runs.add(FindingsTest.res("infonce", t, Map.of(Metric.LINEAR, 0.86 - 0.01 * t, Metric.UNIFORMITY, 3.5 - t)));
        }
        runs.add(FindingsTest.res("hard", 0.2, Map.of(Metric.LINEAR, 0.10, Metric.UNIFORMITY, 0.004)));   // collapsed
        runs.add(FindingsTest.res("hard", 0.5, Map.of(Metric.LINEAR, 0.862, Metric.UNIFORMITY, 3.7)));
        runs.add(FindingsTest.res("hard", 1.0, Map.of(Metric.LINEAR, 0.855, Metric.UNIFORMITY, 0.051)));  // just above the line: not collapsed
        Study s = Study.of(runs).getFirst();
        assertEquals(java.util.Set.of(0.2), s.collapsedTaus("hard"));
        assertTrue(s.collapsedNote().endsWith("in the plots): Hard 0.2."), s.collapsedNote());
        assertNull(Study.of(runs.subList(0, 3)).getFirst().collapsedNote());

        Figure.Xy acc = Charts.versusTau(s, "a", "a", "acc", Metric.LINEAR);
        Series line = series(acc, "Hard");
        assertArrayEquals(new double[] {0.5, 1.0}, line.x(), "the collapsed τ leaves the line");
        assertFalse(line.marks());
        Series cross = series(acc, "Hard collapsed (10.00, off scale)");
        assertTrue(cross.marks());
        assertArrayEquals(new double[] {0.2}, cross.x());
        // lines span 85.0 (InfoNCE at 1) .. 86.2 (hard at 0.5): the axis pads that by 5 % each side
        // and the cross sits on its floor
        assertEquals(85.0 - 0.05 * 1.2, acc.yMin(), 1e-9);
        assertEquals(86.2 + 0.05 * 1.2, acc.yMax(), 1e-9);
        assertEquals(acc.yMin(), cross.y()[0], 1e-9);

        Figure.Xy unif = Charts.versusTau(s, "u", "u", "unif", Metric.UNIFORMITY);
        Series near = series(unif, "Hard collapsed");
        assertEquals(0.004, near.y()[0], 1e-12, "in range: drawn at its value");
        assertTrue(Double.isNaN(unif.yMin()) && Double.isNaN(unif.yMax()), "the axis fits all the data");
        assertArrayEquals(new double[] {0.5, 1.0}, series(unif, "Hard").x());
    }
}
