package dev.tauon.experiment;

import dev.tauon.ForkedJvm;
import dev.tauon.cli.Main;
import dev.tauon.data.SafeTensors;
import dev.tauon.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

// Disk and numerical faults of a pretrain (issue 18): a full disk and a folder that turns
// read-only while checkpointing, a learning rate that blows the weights up. Each ends the run
// with one line that names the file or the epoch, step and value, keeps the last good checkpoint
// whole, and a --resume once the fault is gone finishes bit-identical to an uninterrupted run.
class FaultsTest {
    static final String[] SMALL = PretrainTest.SMALL;
    static String expected;
    static long checkpointBytes;

    @TempDir Path tmp;

    @BeforeAll static void uninterrupted() throws Exception {
        expected = PretrainTest.referenceFingerprint();
        checkpointBytes = Files.size(ResumeTest.checkpointFiles(PretrainTest.referenceRun(), ".safetensors").getLast());
    }

    @AfterEach void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        Stop.request(0);
    }

    record Result(int code, String err) {}

    // `tauon pretrain` in this JVM: its exit status and what it printed on stderr.
    static Result pretrain(Path runs, String... extra) {
        Parallel.setThreads(2);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.run(PretrainFingerprint.concat(PretrainFingerprint.concat(new String[] {"pretrain", "--runs", runs.toString(), "--name", "r",
                    "--threads", "2"}, SMALL), extra));
            return new Result(rc, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    static boolean isRoot() { return "root".equals(System.getProperty("user.name")); }

    static Result exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Result(p.waitFor(), out);
    }

    // The error line, and that it is the only line.
    static String oneLine(Result r) {
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertEquals(1, lines.size(), "one line, no stack trace: " + r.err());
        System.out.println("FaultsTest: " + lines.getFirst());
        return lines.getFirst();
    }

    // The checkpoints on disk, each record checked against its tensors (KillCampaignTest's helpers).
    static List<String> wholeCheckpoints(Path ckpt) throws Exception {
        String whole = KillCampaignTest.everyRecordIsWhole(ckpt);
        assertFalse(KillCampaignTest.hasTemporary(ckpt), "a failed write leaves no temporary: " + KillCampaignTest.names(ckpt));
        return whole.equals("no checkpoint yet") ? List.of() : List.of(whole.replace(" whole", "").split(", "));
    }

    // A tmpfs with room for one checkpoint, not two, mounted as the run's checkpoint folder: the
    // epoch-1 checkpoint fits, the epoch-2 one hits "No space left on device". Then more room.
    @Test void noSpaceLeftWhileWritingACheckpoint() throws Exception {
        assumeTrue(isRoot() && !Boolean.getBoolean("tauon.test.noMount"), "mounting a small tmpfs needs root (the file-size-limit test covers this case)");
        Path runs = tmp.resolve("full"), ckpt = runs.resolve("r/checkpoint");
        Files.createDirectories(ckpt);
        long kb = checkpointBytes * 3 / 2 / 1024;
        Result mount = exec("mount", "-t", "tmpfs", "-o", "size=" + kb + "k", "tauon-test", ckpt.toString());
        assumeTrue(mount.code() == 0, "mount -t tmpfs failed (" + mount.err() + "); the file-size-limit test covers this case");
        try {
            Result r = pretrain(runs, "--resume", "--checkpoint-minutes", "0");
            assertEquals(2, r.code(), r.err());
            String line = oneLine(r);
            assertTrue(line.contains("cannot write a checkpoint: " + ckpt.resolve("ckpt-000002-000000.safetensors") + ": No space left on device"), line);
            assertTrue(line.contains("the last good checkpoint ckpt-000001-000000.json is kept"), line);
            assertEquals(List.of("ckpt-000001-000000"), wholeCheckpoints(ckpt));
            assertFalse(Files.exists(runs.resolve("r/DONE")));
            assertEquals(0, exec("mount", "-o", "remount,size=" + 4 * kb + "k", ckpt.toString()).code());
            assertEquals(expected, PretrainTest.run(runs, 2, "--resume"), "resumed once there is space");
        } finally {
            exec("umount", ckpt.toString());
        }
    }

    // Where mounting is not possible: a file-size limit (ulimit -f, half a checkpoint) on a resumed
    // run, so its next checkpoint fails with "File too large" (the JVM ignores SIGXFSZ).
    @Test void aFileSizeLimitWhileWritingACheckpoint() throws Exception {
        assumeTrue(!isRoot() || Boolean.getBoolean("tauon.test.noMount") || Boolean.getBoolean("tauon.test.ulimit"),
                "covered by the tmpfs test here; -Dtauon.test.ulimit=true runs this one too");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Path runs = tmp.resolve("limit"), ckpt = runs.resolve("r/checkpoint");
        // first a good checkpoint: stopped as by SIGTERM once epoch 1's checkpoint is there
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                while (!Files.exists(ckpt.resolve("ckpt-000001-000000.json"))) Thread.sleep(5);
                Stop.request(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Result first = pretrain(runs, "--checkpoint-minutes", "0");
        watcher.join();
        Stop.request(0);
        assertEquals(143, first.code(), first.err());
        List<String> good = wholeCheckpoints(ckpt);
        Path log = tmp.resolve("limit.log");
        String script = "ulimit -f " + checkpointBytes / 2 / 1024 + " && exec \"$@\"";
        Process p = ForkedJvm.start(List.of("/bin/bash", "-c", script, "bash"), PretrainFingerprint.class, List.of(), log,
                PretrainFingerprint.concat(new String[] {"2", runs.toString()}, PretrainFingerprint.concat(SMALL, new String[] {"--resume", "--checkpoint-minutes", "0"})));
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        String out = Files.readString(log);
        System.out.println("FaultsTest: " + out.lines().filter(l -> l.startsWith("tauon")).findFirst().orElse(out));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("tauon pretrain: error: cannot write a checkpoint: " + ckpt.resolve("ckpt-000002-000000.safetensors") + ": File too large"), out);
        assertEquals(good, wholeCheckpoints(ckpt), "the last good checkpoint is as it was");
        assertEquals(expected, PretrainTest.run(runs, 2, "--resume"), "resumed without the limit");
    }

    // The checkpoint folder made read-only (r-x) once epoch 1's checkpoint is written. As root
    // the child runs without CAP_DAC_OVERRIDE (setpriv), so the permission bits hold for it too.
    @Test void aFolderThatTurnsUnwritableDuringTraining() throws Exception {
        List<String> prefix = new ArrayList<>();
        if (isRoot()) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "as root the folder stays writable unless the child drops CAP_DAC_OVERRIDE, which needs setpriv");
            prefix.addAll(List.of("/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        }
        Path runs = tmp.resolve("ro"), ckpt = runs.resolve("r/checkpoint"), log = tmp.resolve("ro.log");
        Process p = ForkedJvm.start(prefix, PretrainFingerprint.class, List.of(), log,
                PretrainFingerprint.concat(new String[] {"2", runs.toString()}, PretrainFingerprint.concat(SMALL, new String[] {"--checkpoint-minutes", "0"})));
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.exists(ckpt.resolve("ckpt-000001-000000.json")) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
            Files.setPosixFilePermissions(ckpt, PosixFilePermissions.fromString("r-xr-xr-x"));
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            String out = Files.readString(log);
            System.out.println("FaultsTest: " + out.lines().filter(l -> l.startsWith("tauon")).findFirst().orElse(out));
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains("tauon pretrain: error: cannot write a checkpoint: " + ckpt.resolve("ckpt-000002-000000.safetensors") + ": permission denied; "
                    + "the last good checkpoint ckpt-000001-000000.json is kept"), out);
            assertEquals(List.of("ckpt-000001-000000"), wholeCheckpoints(ckpt));
        } finally {
            p.destroyForcibly();
            Files.setPosixFilePermissions(ckpt, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertEquals(expected, PretrainTest.run(runs, 2, "--resume"), "resumed once the folder is writable");
    }

    // A record edited by hand to a position the run does not have is refused, not half-trusted.
    @Test void aCheckpointPositionOutsideTheRunIsRefused() throws Exception {
        Path runs = tmp.resolve("pos");
        ResumeTest.copy(PretrainTest.referenceRun().getParent(), runs);
        Files.delete(runs.resolve("r/DONE"));
        Path record = ResumeTest.checkpointFiles(runs.resolve("r"), ".json").getLast();
        Files.writeString(record, Files.readString(record).replaceFirst("\"step\" : 0", "\"step\" : 99"));
        Result r = pretrain(runs, "--resume");
        assertEquals(2, r.code(), r.err());
        assertTrue(oneLine(r).endsWith(record + ": position epoch 3, step 99 is outside this run of 2 epochs of 6 steps"), r.err());
    }

    // --lr 1e6: the weights grow until a batch-norm statistic overflows; the run stops at that
    // step, exit 3, and every checkpoint on disk holds finite weights from before it.
    @Test void anAbsurdLearningRateStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path runs = tmp.resolve("lr");
        Result r = pretrain(runs, "--lr", "1e6", "--checkpoint-minutes", "0.00001");
        assertEquals(3, r.code(), r.err());
        String line = oneLine(r);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("training diverged at epoch 1, step (\\d+): (.*) has (NaN|-?Infinity) at element \\d+ after the (backward pass|optimizer step|step)").matcher(line);
        assertTrue(m.find(), line);
        assertTrue(line.contains("last good checkpoint is kept in " + runs.resolve("r/checkpoint")), line);
        int step = Integer.parseInt(m.group(1));
        assertFalse(Files.exists(runs.resolve("r/DONE")));
        List<String> kept = wholeCheckpoints(runs.resolve("r/checkpoint"));
        assertFalse(kept.isEmpty(), "checkpoints before the divergence");
        assertEquals(String.format("ckpt-000000-%06d", step), kept.getLast(), "the newest checkpoint is the state before the bad step");
        for (String c : kept) {
            for (SafeTensors.Entry e : SafeTensors.read(runs.resolve("r/checkpoint/" + c + ".safetensors")).tensors()) {
                assertEquals(-1, dev.tauon.autograd.Anomaly.firstNonFinite(e.data()), c + " " + e.name());
            }
        }
    }

    // --detect-anomaly changes no bit of a healthy run; on a diverging one it names the op.
    @Test void detectAnomalyChangesNothingAndNamesTheOp() throws Exception {
        assertEquals(expected, PretrainTest.run(tmp.resolve("same"), 2, "--detect-anomaly"));
        Result r = pretrain(tmp.resolve("op"), "--lr", "1e30", "--detect-anomaly");
        assertEquals(3, r.code(), r.err());
        String line = oneLine(r);
        assertTrue(line.matches(".*training diverged at epoch 1, step \\d+: (forward|backward) of [a-z0-9_]+ .* gave .* at element \\d+.*"), line);
        assertFalse(line.contains("--detect-anomaly names"), line);
    }

    // The per-step check without --detect-anomaly names the parameter.
    @Test void nonFiniteNamesTheParameter() {
        RunConfig cfg = RunConfig.fromMap(new java.util.LinkedHashMap<>(), "test");
        Model model = new Model(cfg, 1, dev.tauon.tensor.Rng.seeded(1));
        assertNull(Pretrain.nonFinite(model.state(), false));
        var p = model.parameters().get(3);
        p.var().gradData()[5] = Float.NaN;
        assertEquals("the gradient of " + p.name() + " has NaN at element 5", Pretrain.nonFinite(model.parameters(), true));
        model.buffers().get(1).data()[2] = Float.NEGATIVE_INFINITY;
        assertEquals(model.buffers().get(1).name() + " (updated by the forward pass) has -Infinity at element 2", Pretrain.nonFinite(model.buffers(), false));
    }
}
