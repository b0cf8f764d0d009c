package dev.tauon.experiment.report;

import dev.tauon.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// Loading run folders: the three layouts, what a finished run yields, unfinished runs, and one
// clear message naming the file for every kind of bad input.
class ResultsTest {
    @TempDir Path tmp;

    static final FakeRuns.Run INFO = FakeRuns.run("a1", "infonce", 0.2, 0, 0.80, 0.85, 3.2, 0.40);
    static final FakeRuns.Run SIMPLE = FakeRuns.run("s0", "simple", null, 0, 0.70, 0.75, 1.68, 0.61);

    @Test void sweepFolderReadsEveryFile() throws Exception {
        Path dir = FakeRuns.sweep(tmp, List.of(SIMPLE, INFO));
        Results.Loaded l = Results.load(dir);
        assertTrue(l.sweep());
        assertEquals(List.of("a1", "s0"), l.results().stream().map(Result::runId).toList());   // sorted by loss
        Result r = l.results().getFirst();
        assertEquals("runs/a1", r.folder());
        assertEquals("fashion-mnist", r.dataset());
        assertEquals("bank", r.setting());
        assertEquals(0.2, r.tau());
        assertEquals(0, r.k());
        assertEquals(FakeRuns.EPOCHS, r.epochs());
        assertEquals(0.85, r.get(Metric.LINEAR));
        assertEquals(0.5, r.get(Metric.POS), 1e-12);
        assertEquals("0.1.0", r.tauonVersion());
        assertEquals(11, r.ranks().size());
        assertEquals("n10", r.ranks().get(10).name());
        assertEquals(0.5 - 0.3, r.ranks().getFirst().min(), 1e-12);
        assertEquals(20, r.hardness().s().length);
        assertEquals(0, r.hardness().count()[0]);
        assertEquals(FakeRuns.EPOCHS, r.history().size());
        assertTrue(Double.isNaN(r.history().get(1).knn()), "epoch 2 has no monitor");
        assertEquals(0.85, r.baselines().rawPixelKnn());
        Result s = l.results().get(1);
        assertTrue(Double.isNaN(s.tau()) && !s.hasTau());
        assertTrue(Double.isNaN(s.get(Metric.ENTROPY)), "null hardness_entropy reads as missing");
        assertNull(s.hardness());
    }

    @Test void folderOfRunsAndSingleRun() throws Exception {
        FakeRuns.write(tmp, INFO, true);
        FakeRuns.write(tmp, SIMPLE, true);
        Files.createDirectories(tmp.resolve("notes"));   // no config.json: not a run
        Results.Loaded l = Results.load(tmp);
        assertFalse(l.sweep());
        assertEquals(List.of("a1", "s0"), l.results().stream().map(Result::folder).toList());
        Results.Loaded one = Results.load(tmp.resolve("a1"));
        assertEquals(1, one.results().size());
    }

    @Test void unfinishedRunsAreListedNotLoaded() throws Exception {
        Path dir = FakeRuns.sweep(tmp, List.of(INFO));
        FakeRuns.write(dir.resolve("runs"), SIMPLE, false);
        Files.createDirectories(dir.resolve("runs/planned"));
        Results.Loaded l = Results.load(dir);
        assertEquals(1, l.results().size());
        assertEquals(List.of(new Results.Unfinished("runs/planned", "not started (no config.json)"),
                new Results.Unfinished("runs/s0", "simple seed 0: no DONE (4 of 4 epochs in history.csv)")), l.unfinished());
    }

    static String error(Path dir) {
        return assertThrows(DataException.class, () -> Results.load(dir)).getMessage();
    }

    @Test void missingEmptyOrNotAFolder() throws Exception {
        assertEquals(tmp.resolve("nope") + ": no such folder", error(tmp.resolve("nope")));
        assertTrue(error(tmp).startsWith(tmp + ": no run folders"), error(tmp));
        Files.writeString(tmp.resolve("f.txt"), "x");
        assertTrue(error(tmp.resolve("f.txt")).contains("not a folder"));
    }

    @Test void corruptFilesNameTheFileAndTheProblem() throws Exception {
        Path run = FakeRuns.write(tmp, INFO, true);
        Files.writeString(run.resolve("config.json"), "{\"id\": \"a1\", \"config\": {\"loss\": ");
        String e = error(tmp);
        assertTrue(e.startsWith(run.resolve("config.json") + ": not valid JSON (line 1"), e);

        FakeRuns.write(tmp, INFO, true);
        Files.writeString(run.resolve("metrics.json"), FakeRuns.metrics(INFO).replace("\"uniformity\": 3.2000", "\"uniformity\": \"high\""));
        assertEquals(run.resolve("metrics.json") + ": \"uniformity\" is a string, expected a number", error(tmp));

        Files.writeString(run.resolve("metrics.json"), FakeRuns.metrics(INFO).replace("\"knn_accuracy\": 0.8000", "\"knn_accuracy\": 80.0"));
        assertEquals(run.resolve("metrics.json") + ": \"knn_accuracy\" is 80.0, expected a fraction in [0,1]", error(tmp));

        Files.writeString(run.resolve("metrics.json"), FakeRuns.metrics(INFO).replace("\"min\": 0.2000", "\"min\": null"));
        assertEquals(run.resolve("metrics.json") + ": \"ranks.pos.min\" missing, expected a number", error(tmp));

        Files.writeString(run.resolve("metrics.json"), FakeRuns.metrics(INFO).replace("\"loss\": \"infonce\"", "\"loss\": \"hard\""));
        assertEquals(run.resolve("metrics.json") + ": \"loss\" is hard but config.json says infonce", error(tmp));

        Files.writeString(run.resolve("metrics.json"), "[1, 2]");
        assertEquals(run.resolve("metrics.json") + ": expected a JSON object, found [", error(tmp));

        Files.delete(run.resolve("metrics.json"));
        assertEquals(run.resolve("metrics.json") + ": missing", error(tmp));
    }

    @Test void corruptHistoryNamesTheLine() throws Exception {
        Path run = FakeRuns.write(tmp, INFO, true);
        Path h = run.resolve("history.csv");
        Files.writeString(h, "epoch,loss,lr,views_per_s,seconds,knn_accuracy\n1,8.1,0.5,1000,10,0.7\n2,oops,0.4,1000,10,\n");
        assertEquals(h + ": line 3: loss \"oops\" is not a number", error(tmp));
        Files.writeString(h, "epoch,loss,lr,views_per_s,seconds,knn_accuracy\n1,8.1,0.5\n");
        assertEquals(h + ": line 2 has 3 fields, the header 6", error(tmp));
        Files.writeString(h, "step,value\n");
        assertTrue(error(tmp).startsWith(h + ": header \"step,value\" lacks the epoch and loss columns"));
        Files.writeString(h, "");
        assertEquals(h + ": empty (expected a header line)", error(tmp));
    }
}
