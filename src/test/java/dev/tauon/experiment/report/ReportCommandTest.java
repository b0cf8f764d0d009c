package dev.tauon.experiment.report;

import dev.tauon.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// `tauon report` as a user meets it: the table and verdicts on stdout, --json, and one line with
// exit status 2 for every bad input.
@Timeout(300)
class ReportCommandTest {
    @TempDir Path tmp;

    record Out(int code, String out, String err) {}

    static Out run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Out(code, out.toString(), err.toString());
    }

    static List<FakeRuns.Run> small() {
        return List.of(FakeRuns.run("a", "infonce", 0.1, 0, 0.80, 0.82, 3.8, 0.1),
                FakeRuns.run("b", "infonce", 0.5, 0, 0.78, 0.84, 3.4, 0.2),
                FakeRuns.run("c", "infonce", 1.0, 0, 0.75, 0.81, 3.0, 0.3));
    }

    @Test void printsTableVerdictsAndWhere() throws Exception {
        Path dir = FakeRuns.sweep(tmp.resolve("s"), small());
        Out r = run("report", dir.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| linear acc. (%)      |       82.00 |       84.00 |     81.00 |"), r.out());
        assertTrue(r.out().contains("1. InfoNCE: accuracy vs τ is an inverted U — holds\n"), r.out());
        assertTrue(r.out().contains("5. Simple loss: far below the best InfoNCE, with low uniformity — not covered\n"), r.out());
        assertTrue(r.out().contains("report: " + tmp.resolve("o").resolve("report.md")), r.out());
    }

    @Test void jsonIsOneObject() throws Exception {
        Path dir = FakeRuns.sweep(tmp.resolve("s"), small());
        Out r = run("report", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().startsWith("{\"report\":\"" + dir + "\",\"runs\":3,\"unfinished\":0,\"findings\":{\"1\":\"holds\",\"2\":\"holds\","), r.out());
        assertTrue(r.out().strip().endsWith("\"10\":\"holds\"}}"), r.out());
    }

    @Test void badInputIsOneLineAndExitTwo() throws Exception {
        Path corrupt = FakeRuns.sweep(tmp.resolve("c"), small());
        Files.writeString(corrupt.resolve("runs/b/metrics.json"), "{\"knn_accuracy\": }");
        Files.createDirectories(tmp.resolve("empty"));
        String[][] cases = {{"report", tmp.resolve("missing").toString()}, {"report", tmp.resolve("empty").toString()},
                {"report", corrupt.toString()}, {"report"}};
        for (String[] args : cases) {
            Out r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
        assertEquals("tauon report: error: " + tmp.resolve("missing") + ": no such folder", run(cases[0]).err().strip());
        assertEquals(1, run(cases[2]).err().strip().lines().count());
        assertTrue(run(cases[2]).err().startsWith("tauon report: error: " + corrupt.resolve("runs/b/metrics.json") + ": not valid JSON"));
    }

    @Test void helpNamesEveryOption() {
        Out r = run("report", "--help");
        assertEquals(0, r.code());
        for (String s : List.of("DIR", "--out", "--json")) assertTrue(r.out().contains(s), r.out());
    }
}
