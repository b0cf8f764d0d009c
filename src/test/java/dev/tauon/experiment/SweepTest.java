package dev.tauon.experiment;

import dev.tauon.ForkedJvm;
import dev.tauon.cli.Main;
import dev.tauon.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

// A tiny two-run sweep: every file is written, a second run of the same command does no work, a
// sweep killed during its second run finishes when started again with the same bits, and bad
// grids or a folder of another grid are refused with one clear line.
class SweepTest {
    static final String[] GRID = {"--dataset", "fashion-mnist-small", "--limit", "128", "--epochs", "1", "--batch", "32",
            "--probe-epochs", "1", "--losses", "infonce,simple", "--taus", "0.3"};

    @TempDir Path tmp;

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static String[] sweep(Path dir, String... extra) {
        return PretrainFingerprint.concat(PretrainFingerprint.concat(new String[] {"sweep", "--dir", dir.toString()}, GRID), extra);
    }

    // Runs a command, returning its exit status and what it wrote on stderr.
    static Object[] quietly(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        PrintStream oldErr = System.err, oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {Main.run(args), err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    @Test void aSweepWritesEveryFileAndARerunDoesNoWork() throws Exception {
        Path dir = tmp.resolve("s");
        assertEquals(0, quietly(sweep(dir))[0]);
        List<String> plan = Files.readAllLines(dir.resolve("plan.jsonl"));
        assertEquals(2, plan.size(), "infonce at one tau, and simple without one");
        assertTrue(plan.get(1).contains("\"loss\":\"simple\"") && plan.get(1).contains("\"tau\":null"), plan.get(1));
        List<Sweep.Entry> entries = Sweep.readPlan(dir);
        for (Sweep.Entry e : entries) {
            Path r = dir.resolve("runs").resolve(e.config().id());
            for (String f : List.of("config.json", "history.csv", "metrics.json", "weights.safetensors", "embeddings.npy", "DONE")) {
                assertTrue(Files.isRegularFile(r.resolve(f)), r + "/" + f);
            }
        }
        String before = fingerprints(dir, entries);
        long logLines = Files.readAllLines(dir.resolve("runs").resolve(entries.get(0).config().id()).resolve("log.txt")).size();
        Object[] again = quietly(sweep(dir));
        assertEquals(0, again[0]);
        assertTrue(((String) again[2]).contains("(done, skipped)"), (String) again[2]);
        assertEquals(before, fingerprints(dir, entries));
        assertEquals(logLines, Files.readAllLines(dir.resolve("runs").resolve(entries.get(0).config().id()).resolve("log.txt")).size(), "no new work logged");
        Object[] status = quietly("sweep", "status", dir.toString());
        assertTrue(((String) status[2]).contains("2 of 2 runs done"), (String) status[2]);
    }

    @Test void aSweepKilledInItsSecondRunFinishesWhenStartedAgain() throws Exception {
        Path ref = tmp.resolve("ref"), dir = tmp.resolve("k");
        assertEquals(0, quietly(sweep(ref))[0]);
        List<Sweep.Entry> entries = Sweep.readPlan(ref);
        Path second = dir.resolve("runs").resolve(entries.get(1).config().id());
        Process p = ForkedJvm.start(Main.class, List.of(), tmp.resolve("k.log"), sweep(dir, "--checkpoint-minutes", "0.00001"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.isDirectory(second.resolve("checkpoint")) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(p.isAlive(), "the sweep was still running its second run: " + Files.readString(tmp.resolve("k.log")));
        p.destroyForcibly().waitFor();
        assertFalse(Files.exists(second.resolve("DONE")));
        assertEquals(0, quietly(sweep(dir))[0]);
        assertEquals(fingerprints(ref, entries), fingerprints(dir, entries));
    }

    @Test void badGridsAndAnotherGridsFolderAreRefused() throws Exception {
        Object[] r = quietly(sweep(tmp.resolve("a"), "--losses", "infonce,nonsense"));
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("unknown loss 'nonsense'"), (String) r[1]);
        r = quietly("sweep", "plan", "--dir", tmp.resolve("b").toString(), "--losses", "infonce", "--taus", "");
        assertEquals(2, r[0], (String) r[1]);
        Path dir = tmp.resolve("c");
        assertEquals(0, quietly("sweep", "plan", "--dir", dir.toString(), "--dataset", "fashion-mnist-small", "--losses", "infonce", "--taus", "0.1")[0]);
        r = quietly("sweep", "plan", "--dir", dir.toString(), "--dataset", "fashion-mnist-small", "--losses", "infonce", "--taus", "0.2");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("holds another grid"), (String) r[1]);
        r = quietly("sweep", "run", "--dir", dir.toString(), "--index", "5");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--index 5"), (String) r[1]);
    }

    // A study that is not one product: pieces under grids:, each overriding the file's settings
    // and lists, planned in order with a run named twice kept once; mistakes name the piece.
    @Test void aStudyFilePlansItsGridsInOrder() throws Exception {
        Path yaml = tmp.resolve("study.yaml"), dir = tmp.resolve("study");
        Files.writeString(yaml, """
                dataset: fashion-mnist-small
                limit: 128
                batch: 32
                epochs: 2
                seeds: [0]
                grids:
                  - {losses: [infonce], taus: [0.1, 0.5]}
                  - {losses: [hard], taus: [0.5], ks: [7]}
                  - {setting: bank, epochs: 3, losses: [simple]}
                  - {losses: [infonce], taus: [0.5, 1.0], seeds: [0, 1]}
                """);
        Object[] r = quietly("sweep", "plan", "--dir", dir.toString(), "--grid", yaml.toString());
        assertEquals(0, r[0], (String) r[1]);
        List<Sweep.Entry> plan = Sweep.readPlan(dir);
        List<String> got = plan.stream().map(e -> e.config().setting() + " " + e.config().loss() + " " + e.config().tau() + " "
                + e.config().k() + " " + e.config().seed() + " " + e.config().epochs()).toList();
        assertEquals(List.of("simclr infonce 0.1 null 0 2", "simclr infonce 0.5 null 0 2", "simclr hard 0.5 7 0 2", "bank simple null null 0 3",
                "simclr infonce 0.5 null 1 2", "simclr infonce 1.0 null 0 2", "simclr infonce 1.0 null 1 2"), got,
                "pieces in order; infonce 0.5 seed 0 planned once");
        Files.writeString(yaml, "dataset: fashion-mnist-small\ngrids:\n  - {losses: [infonce], taus: [0.1]}\n  - {losses: [hard], taus: [-1]}\n");
        r = quietly("sweep", "plan", "--dir", tmp.resolve("bad").toString(), "--grid", yaml.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("grids[1].taus must be positive"), (String) r[1]);
        Files.writeString(yaml, "grids:\n  - {setting: nonsense}\n");
        r = quietly("sweep", "plan", "--dir", tmp.resolve("bad").toString(), "--grid", yaml.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("grids[0]") && ((String) r[1]).contains("nonsense"), (String) r[1]);
        Files.writeString(yaml, "grids: [3]\n");
        r = quietly("sweep", "plan", "--dir", tmp.resolve("bad").toString(), "--grid", yaml.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("grids[0] must be a map"), (String) r[1]);
    }

    static String fingerprints(Path dir, List<Sweep.Entry> entries) throws Exception {
        StringBuilder b = new StringBuilder();
        for (Sweep.Entry e : entries) b.append(PretrainFingerprint.of(dir.resolve("runs").resolve(e.config().id()))).append('\n');
        return b.toString();
    }
}
