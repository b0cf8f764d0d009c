package dev.tauon.experiment.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

// docs/reproduction/ is what `tauon report` wrote from the committed run files: rebuilt from
// docs/reproduction/runs alone, results.csv, results.json and baselines.csv come out byte for
// byte as committed, and docs/reproduction.md is its template filled from them (so no number in
// them was typed or edited by hand), and the run folders
// hold only the small files scripts/publish-reproduction.sh copies — never weights,
// embeddings or checkpoints.
class ReproductionFilesTest {
    static final Path DOCS = Path.of("docs", "reproduction");
    static final Set<String> RUN_FILES = Set.of("config.json", "metrics.json", "history.csv", "DONE");

    @TempDir Path tmp;

    @Test void theCommittedReportIsRebuiltByteForByteFromTheRunFiles() throws Exception {
        assumeTrue(Files.isRegularFile(DOCS.resolve("results.csv")), "docs/reproduction/results.csv is not published yet");
        Report.write(DOCS.resolve("runs"), tmp, "tauon report docs/reproduction/runs");
        for (String f : List.of("results.csv", "results.json", "baselines.csv")) {
            assertEquals(Files.readString(DOCS.resolve(f)), Files.readString(tmp.resolve(f)), f + " rebuilt from docs/reproduction/runs");
        }
        assertTrue(Files.readAllLines(DOCS.resolve("results.csv")).size() > 1, "results.csv has runs");
        String page = Template.render(Files.readString(DOCS.resolve("reproduction.template.md")), Results.load(DOCS.resolve("runs")).results(),
                DOCS.resolve("reproduction.template.md").toString(), "reproduction/plots");
        assertEquals(page, Files.readString(Path.of("docs", "reproduction.md")), "docs/reproduction.md is the template filled from the runs");
    }

    @Test void theRunFoldersHoldOnlyTheSmallFiles() throws Exception {
        assumeTrue(Files.isDirectory(DOCS.resolve("runs")), "docs/reproduction/runs is not published yet");
        try (Stream<Path> s = Files.list(DOCS.resolve("runs"))) {
            for (Path run : s.filter(Files::isDirectory).toList()) {
                try (Stream<Path> f = Files.list(run)) {
                    for (Path p : f.toList()) {
                        assertTrue(Files.isRegularFile(p) && RUN_FILES.contains(p.getFileName().toString()), "unexpected " + p);
                    }
                }
                assertTrue(Files.isRegularFile(run.resolve("config.json")), run + " has its config.json");
            }
        }
    }
}
