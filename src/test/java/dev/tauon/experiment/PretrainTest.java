package dev.tauon.experiment;

import dev.tauon.ForkedJvm;
import dev.tauon.cli.Main;
import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.Simd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// Small pretrains on the embedded subset (2 epochs of a few hundred images): bit-identical
// weights, history and metrics for 1 and 2 threads and 256-bit vectors, in both settings.
class PretrainTest {
    // 192 training and 192 test images, batch 32: 6 steps an epoch, a few seconds a run
    static final String[] SMALL = {"--dataset", "fashion-mnist-small", "--limit", "192", "--epochs", "2", "--batch", "32",
            "--probe-epochs", "2"};

    @TempDir Path tmp;

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    private static Path referenceRun;
    private static String referenceFingerprint;

    // The uninterrupted SMALL run (2 threads), computed once per JVM for the tests that compare
    // with it (ResumeTest, FaultsTest); its folder is theirs to copy, not to change.
    static synchronized Path referenceRun() throws Exception {
        if (referenceRun == null) {
            Path runs = Files.createTempDirectory("tauon-reference");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var s = Files.walk(runs)) {
                    for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
                } catch (java.io.IOException ignored) {
                    // a temporary folder left behind
                }
            }));
            referenceFingerprint = run(runs, 2);
            referenceRun = runs.resolve("r");
        }
        return referenceRun;
    }

    static synchronized String referenceFingerprint() throws Exception {
        referenceRun();
        return referenceFingerprint;
    }

    static String run(Path runs, int threads, String... extra) throws Exception {
        Parallel.setThreads(threads);
        String[] args = PretrainFingerprint.concat(PretrainFingerprint.concat(new String[] {"pretrain", "--runs", runs.toString(), "--name", "r",
                "--threads", String.valueOf(threads)}, SMALL), extra);
        assertEquals(0, Main.run(args), "pretrain exit status");
        return PretrainFingerprint.of(runs.resolve("r"));
    }

    @ParameterizedTest @ValueSource(strings = {"simclr", "bank"})
    void bitIdenticalForAnyThreadCountAndVectorWidth(String setting) throws Exception {
        String one = run(tmp.resolve("t1"), 1, "--setting", setting);
        assertEquals(one, run(tmp.resolve("t2"), 2, "--setting", setting), "2 threads");
        String forked = ForkedJvm.run(PretrainFingerprint.class, List.of("-XX:MaxVectorSize=32"),
                PretrainFingerprint.concat(new String[] {"2", tmp.resolve("v32").toString()}, PretrainFingerprint.concat(SMALL, new String[] {"--setting", setting})));
        List<String> lines = forked.lines().dropWhile(l -> !l.startsWith("lanes=")).toList();
        int lanes = Integer.parseInt(lines.get(0).substring("lanes=".length()));
        assertEquals(one, lines.get(1), "256-bit vectors");
        Assumptions.assumeTrue(Simd.ENABLED && Simd.LANES > 8, "this machine's vectors are already 256 bits or narrower: the fork proved nothing new");
        assertTrue(lanes < Simd.LANES, "the forked JVM ran with " + lanes + " lanes, not fewer than this one's " + Simd.LANES);
    }

    @Test void theRunFolderHoldsEveryFile() throws Exception {
        run(tmp, 2, "--setting", "bank", "--loss", "hard", "--tau", "0.5");
        Path r = tmp.resolve("r");
        for (String f : List.of("config.json", "history.csv", "metrics.json", "log.txt", "weights.safetensors", "embeddings.npy", "labels.npy", "DONE")) {
            assertTrue(Files.isRegularFile(r.resolve(f)), f);
        }
        assertEquals(3, Files.readAllLines(r.resolve("history.csv")).size(), "header and two epochs");
        var m = JsonFiles.parseObject(Files.readString(r.resolve("metrics.json")), "metrics");
        assertEquals("hard", m.get("loss"));
        assertEquals((long) Math.round(4095.0 / 49999 * 191), m.get("k"), "8% of the 191 bank negatives");
        for (String k : List.of("knn_accuracy", "linear_accuracy", "uniformity", "tolerance", "alignment", "pos_similarity", "hardness_entropy")) {
            assertTrue(m.get(k) instanceof Double d && Double.isFinite(d), k + " = " + m.get(k));
        }
        var cfg = JsonFiles.parseObject(Files.readString(r.resolve("config.json")), "config");
        RunConfig back = RunConfig.fromMap(castMap(cfg.get("config")), "config.json");
        assertEquals(cfg.get("id"), back.id(), "config.json's id is the hash of its config");
    }

    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> castMap(Object o) { return (java.util.Map<String, Object>) o; }

    @Test void differentSeedsGiveDifferentWeights() throws Exception {
        String a = run(tmp.resolve("a"), 2), b = run(tmp.resolve("b"), 2, "--seed", "1");
        assertNotEquals(a.substring(0, a.indexOf(' ')), b.substring(0, b.indexOf(' ')));
    }
}
