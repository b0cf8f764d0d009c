package dev.tauon.experiment.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

// The whole report from fake run folders: every file written, images that decode, HTML that
// stands alone.
class ReportTest {
    @TempDir Path tmp;

    @Test void writesEveryFile() throws Exception {
        Path dir = FakeRuns.sweep(tmp.resolve("sweep"), FakeRuns.paperLike());
        String keep = System.getProperty("report.keep");
        Report.Summary s = Report.write(dir, keep == null ? null : Path.of(keep));
        assertEquals(15, s.runs());
        System.out.print(s.tables());
        s.findings().forEach(f -> System.out.println(f.number() + ". " + f.title() + " — " + f.verdict() + "\n   " + f.evidence()));
    }
}
