package dev.tauon.experiment.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

// results.csv to the byte for a constructed case; Table 1's layout and mean ± std.
class TablesTest {
    @TempDir Path tmp;

    @Test void resultsCsvExact() throws Exception {
        List<FakeRuns.Run> runs = List.of(
                FakeRuns.run("s0", "simple", null, 0, 0.70, Double.NaN, 1.68, 0.61),
                FakeRuns.run("b2", "infonce", 0.2, 1, 0.78, 0.84, 3.1, 0.41),
                FakeRuns.run("a1", "infonce", 0.2, 0, 0.80, 0.85, 3.2, 0.40));
        List<Result> results = Results.load(FakeRuns.sweep(tmp, runs)).results();
        assertEquals("""
                dataset,setting,loss,tau,k,seed,epochs,knn_accuracy,linear_accuracy,uniformity,tolerance,alignment,pos_similarity,neg1_similarity,neg10_similarity,hardness_entropy,seconds,run_id
                fashion-mnist,bank,infonce,0.2,,0,4,0.800000,0.850000,3.200000,0.400000,1.000000,0.500000,0.370000,0.280000,6.800000,412.500,a1
                fashion-mnist,bank,infonce,0.2,,1,4,0.780000,0.840000,3.100000,0.410000,1.000000,0.500000,0.370000,0.280000,6.800000,412.500,b2
                fashion-mnist,bank,simple,,,0,4,0.700000,,1.680000,0.610000,0.200000,0.900000,0.850000,0.760000,,412.500,s0
                """, Tables.csv(results));
        String json = Tables.json(results, Tables.baselines(results));
        assertTrue(json.contains("{\"dataset\": \"fashion-mnist\", \"setting\": \"bank\", \"loss\": \"simple\", \"tau\": null, \"k\": null, "
                + "\"seed\": 0, \"epochs\": 4, \"knn_accuracy\": 0.700000, \"linear_accuracy\": null,"), json);
        assertTrue(json.endsWith("\"baselines\": [\n    {\"dataset\": \"fashion-mnist\", \"raw_pixel_knn\": 0.850000, "
                + "\"untrained_knn\": 0.700000, \"untrained_linear\": 0.750000}\n  ]\n}\n"), json);
        assertEquals("dataset,raw_pixel_knn,untrained_knn,untrained_linear\nfashion-mnist,0.850000,0.700000,0.750000\n",
                Tables.baselinesCsv(Tables.baselines(results)));
    }

    @Test void table1ColumnsInThePapersOrderWithMeanAndStd() {
        List<Result> runs = List.of(
                FindingsTest.res("hardsimple", Double.NaN, Map.of(Metric.LINEAR, 0.84)),
                FindingsTest.res("hard", 0.2, Map.of(Metric.LINEAR, 0.83)),
                FindingsTest.res("simple", Double.NaN, Map.of(Metric.LINEAR, 0.74)),
                FindingsTest.res("cifar10", "infonce", 0.2, 0, Map.of(Metric.LINEAR, 0.80, Metric.UNIFORMITY, 3.5)),
                FindingsTest.res("cifar10", "infonce", 0.2, 1, Map.of(Metric.LINEAR, 0.82, Metric.UNIFORMITY, 3.7)),
                FindingsTest.res("infonce", 0.07, Map.of(Metric.LINEAR, 0.79)));
        Tables.Table t = Tables.table1(Study.of(runs).getFirst());
        assertEquals(List.of("metric", "InfoNCE 0.07", "InfoNCE 0.2", "Simple", "Hard 0.2", "HardSimple"), t.header());
        assertEquals(List.of("kNN acc. (%)", "–", "–", "–", "–", "–"), t.rows().get(0));
        // sample std of 80 and 82: √2
        assertEquals(List.of("linear acc. (%)", "79.00", "81.00 ± 1.41", "74.00", "83.00", "84.00"), t.rows().get(1));
        assertEquals("3.60 ± 0.14", t.rows().get(2).get(2));
        assertEquals(List.of("seeds", "1", "2", "1", "1", "1"), t.rows().get(4));
        String md = t.markdown();
        assertTrue(md.startsWith("| metric               | InfoNCE 0.07 |  InfoNCE 0.2 | Simple | Hard 0.2 | HardSimple |\n"
                + "| -------------------- | -----------: | -----------: | -----: | -------: | ---------: |\n"), md);
    }

    @Test void severalKOfOneLossGetTheirOwnColumns() {
        Result a = FindingsTest.res("hard", 0.2, Map.of(Metric.LINEAR, 0.8));
        Result b = new Result("x", "x", "cifar10", "bank", "hard", 0.2, 512, 0, 10, null, a.metrics(), List.of(), null, List.of(), null);
        assertEquals(List.of("metric", "Hard 0.2 K=512", "Hard 0.2 K=4095"), Tables.table1(Study.of(List.of(a, b)).getFirst()).header());
    }

    @Test void numbersAsWritten() {
        assertEquals("0.07", Tables.plain(0.07));
        assertEquals("1", Tables.plain(1.0));
        assertEquals("0.2", Tables.plain(0.2));
        assertEquals("", Tables.fixed(Double.NaN, 3));
        assertEquals("\"a\\\"b\"", Tables.quote("a\"b"));
    }
}
