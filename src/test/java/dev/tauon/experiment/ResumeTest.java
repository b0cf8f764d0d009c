package dev.tauon.experiment;

import dev.tauon.ForkedJvm;
import dev.tauon.cli.Main;
import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

// Nothing lost: a pretrain stopped with SIGTERM or left with a corrupt checkpoint resumes to the
// bits of an uninterrupted run; a checkpoint of another configuration is refused by name.
// (SIGKILL at seeded random moments: KillCampaignTest.)
class ResumeTest {
    static final String[] SMALL = PretrainTest.SMALL;
    static Path reference;
    static String expected;

    @TempDir Path tmp;

    @BeforeAll static void uninterrupted() throws Exception {
        reference = PretrainTest.referenceRun().getParent();
        expected = PretrainTest.referenceFingerprint();
    }

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static String[] args(Path runs, String... extra) {
        return PretrainFingerprint.concat(PretrainFingerprint.concat(new String[] {"2", runs.toString()}, SMALL), extra);
    }

    static String resume(Path runs) throws Exception {
        return PretrainTest.run(runs, 2, "--resume");
    }

    @Test void sigtermWritesACheckpointAndResumeIsBitIdentical() throws Exception {
        Path runs = tmp.resolve("term");
        Process p = ForkedJvm.start(PretrainFingerprint.class, List.of(), tmp.resolve("term.log"), args(runs, "--checkpoint-minutes", "0"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!hasCheckpoint(runs.resolve("r")) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        p.destroy();                                   // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("term.log"));
        if (p.exitValue() == 143) assertTrue(log.contains("SIGTERM"), log);
        else assertEquals(0, p.exitValue(), "a run that had finished before the signal: " + log);
        assertEquals(expected, resume(runs));
    }

    @Test void aCorruptCheckpointIsSkippedAndAllCorruptIsRefused() throws Exception {
        Path runs = tmp.resolve("c");
        copy(reference, runs);
        Path r = runs.resolve("r");
        Files.delete(r.resolve("DONE"));
        List<Path> tensors = checkpointFiles(r, ".safetensors");
        assertEquals(2, tensors.size(), "the two newest checkpoints are kept");
        Path newest = tensors.getLast();
        byte[] b = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(b, b.length / 2));          // truncated
        assertEquals(expected, resume(runs), "resumed from the previous valid checkpoint");

        Files.delete(r.resolve("DONE"));
        byte[] metricsBefore = Files.readAllBytes(r.resolve("metrics.json"));
        for (Path t : checkpointFiles(r, ".safetensors")) {
            byte[] x = Files.readAllBytes(t);
            x[x.length - 1] ^= 1;                                               // one flipped bit
            Files.write(t, x);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int rc;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            rc = Main.run(PretrainFingerprint.concat(new String[] {"pretrain", "--runs", runs.toString(), "--name", "r", "--resume"}, SMALL));
        } finally {
            System.setErr(old);
        }
        assertEquals(2, rc);
        assertTrue(err.toString().contains("no valid checkpoint") && err.toString().contains("SHA-256"), err.toString());
        assertArrayEquals(metricsBefore, Files.readAllBytes(r.resolve("metrics.json")), "nothing already written is lost");
    }

    @Test void aDifferentConfigurationIsRefusedNamingTheFields() throws Exception {
        Path runs = tmp.resolve("d");
        copy(reference, runs);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(PretrainFingerprint.concat(PretrainFingerprint.concat(new String[] {"pretrain", "--runs", runs.toString(), "--name", "r", "--resume"}, SMALL),
                    new String[] {"--tau", "0.5", "--lr", "0.1"}));
        } finally {
            System.setErr(old);
        }
        assertEquals(2, rc);
        assertTrue(err.toString().contains("tau: 0.2") && err.toString().contains("lr: 0.5"), err.toString());
    }

    @Test void weightsAreReadableByAnIndependentSafetensorsReader() throws Exception {
        byte[] file = Files.readAllBytes(reference.resolve("r/weights.safetensors"));
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        assertEquals(0, (8 + n) % 8, "data starts 8-aligned");
        Map<String, Object> header = JsonFiles.parseObject(new String(file, 8, (int) n, StandardCharsets.UTF_8), "header");
        assertTrue(header.get("__metadata__") instanceof Map<?, ?> meta && "pt".equals(meta.get("format")));
        // the model the checkpoint holds, compared tensor by tensor with the file's bytes
        Map<String, Object> cfgMap = PretrainTest.castMap(JsonFiles.parseObject(Files.readString(reference.resolve("r/config.json")), "c").get("config"));
        RunConfig cfg = RunConfig.fromMap(cfgMap, "config.json");
        Model model = new Model(cfg, 1, Rng.seeded(7));
        Checkpoint.restoreNewest(reference.resolve("r/checkpoint"), model, Pretrain.optimizer(cfg, model), null);
        long end = 0;
        List<String> names = new ArrayList<>();
        for (var e : header.entrySet()) if (!e.getKey().equals("__metadata__")) names.add(e.getKey());
        assertEquals(model.state().stream().map(p -> p.name()).toList(), names, "PyTorch state_dict names, in order");
        for (var p : model.state()) {
            Map<?, ?> t = (Map<?, ?>) header.get(p.name());
            assertEquals("F32", t.get("dtype"));
            List<?> shape = (List<?>) t.get("shape"), off = (List<?>) t.get("data_offsets");
            assertEquals(java.util.Arrays.stream(p.value().shape().dims()).boxed().map(Long::valueOf).toList(), shape, p.name());
            long lo = (Long) off.get(0), hi = (Long) off.get(1);
            assertEquals(end, lo, "contiguous");
            end = hi;
            float[] v = new float[(int) ((hi - lo) / 4)];
            buf.position((int) (8 + n + lo));
            buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            assertArrayEquals(p.data(), v, p.name());
        }
        assertEquals(file.length, 8 + n + end, "no bytes after the last tensor");
    }

    static boolean hasCheckpoint(Path run) throws Exception {
        return Files.isDirectory(run.resolve("checkpoint")) && !checkpointFiles(run, ".json").isEmpty();
    }

    static List<Path> checkpointFiles(Path run, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(run.resolve("checkpoint"))) {
            return s.filter(f -> f.getFileName().toString().matches("ckpt-\\d+-\\d+\\" + suffix)).sorted().toList();
        }
    }

    static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
    }
}
