package dev.tauon.experiment;

import dev.tauon.ForkedJvm;
import dev.tauon.data.AtomicFiles;
import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

// The kill-and-resume campaign (issue 18): ONE small pretrain is started with --resume in a forked
// JVM and killed with SIGKILL, again and again, each time at the next seeded random moment: in
// training, inside a checkpoint write (the moment a temporary appears), in the final evaluation
// or while it writes its outputs. After every kill each checkpoint record on disk must describe
// a complete tensors file (its SHA-256 matches): a half-written checkpoint is never visible, let
// alone trusted, and the next resume takes the newest record, skipping none. A last --resume
// finishes the run, bit-identical to the uninterrupted one.
// 5 kills by default (about 30 s); -Dtauon.test.kills=20 runs the full campaign.
class KillCampaignTest {
    static final int KILLS = Integer.getInteger("tauon.test.kills", 5);
    static final long SEED = Long.getLong("tauon.test.killSeed", 18);
    // PretrainTest.SMALL with batch 16: 24 steps to spread the kills over
    static final String[] CONFIG = {"--dataset", "fashion-mnist-small", "--limit", "192", "--epochs", "2", "--batch", "16", "--probe-epochs", "2"};
    static final String[] RESUME = {"--resume", "--checkpoint-minutes", "0.00001"};   // a checkpoint before every step

    enum Target { TRAINING, CHECKPOINT_WRITE, BASELINES, EVALUATION, OUTPUTS }

    @TempDir Path tmp;

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    // Kills 0 .. n-e-1 alternate training and checkpoint writes; the last e = max(1, 3n/10) land in
    // the evaluation (baselines, the metrics, the output files), which runs only once training is done.
    static List<Target> schedule(int n) {
        int e = Math.max(1, 3 * n / 10);
        List<Target> t = new ArrayList<>();
        for (int i = 0; i < n - e; i++) t.add(i % 2 == 0 ? Target.TRAINING : Target.CHECKPOINT_WRITE);
        Target[] ev = {Target.EVALUATION, Target.OUTPUTS, Target.BASELINES};
        for (int i = 0; i < e; i++) t.add(ev[i % 3]);
        return t;
    }

    @Test void sigkillAtSeededMomentsThenResumeIsBitIdentical() throws Exception {
        String expected = run(tmp.resolve("ref"));
        Path runs = tmp.resolve("k"), run = runs.resolve("r"), ckpt = run.resolve("checkpoint");
        Rng rng = Rng.seeded(SEED);
        List<Target> plan = schedule(KILLS);
        List<String> report = new ArrayList<>();
        int insideWrite = 0;
        String newest = null;                                                 // the record the next resume must take
        java.util.EnumMap<Target, Integer> landed = new java.util.EnumMap<>(Target.class);
        for (int k = 0; k < plan.size(); k++) {
            Target target = plan.get(k);
            Path log = tmp.resolve("kill" + k + ".log");
            List<String> before = names(ckpt), beforeRun = names(run);
            long t0 = System.nanoTime();
            Process p = ForkedJvm.start(PretrainFingerprint.class, List.of(), log, PretrainFingerprint.concat(new String[] {"2", runs.toString()}, PretrainFingerprint.concat(CONFIG, RESUME)));
            String phase = waitFor(target, p, log, ckpt, run, before, beforeRun, rng.split(k));
            boolean tmpAtKill = hasTemporary(ckpt);
            assertTrue(p.isAlive(), "kill " + k + " (" + target + "): the run ended first: " + Files.readString(log));
            p.destroyForcibly();                                              // SIGKILL
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            double at = (System.nanoTime() - t0) * 1e-9;
            boolean leftTemporary = hasTemporary(ckpt) && tmpAtKill;
            if (leftTemporary) insideWrite++;
            assertFalse(Files.exists(run.resolve("DONE")), "kill " + k + " came after the run finished");
            String trusted = everyRecordIsWhole(ckpt);
            String out = Files.readString(log);
            String resumed = out.lines().filter(l -> l.startsWith("resuming from")).findFirst().orElse("started fresh");
            if (newest != null && resumed.startsWith("resuming")) assertTrue(resumed.startsWith("resuming from " + newest + ".json"), resumed + ", expected " + newest);
            assertFalse(out.contains("skipped an invalid checkpoint"), "every record on disk was whole, none may be skipped: " + out);
            List<String> records = names(ckpt).stream().filter(n -> n.matches("ckpt-\\d{6}-\\d{6}\\.json")).toList();
            newest = records.isEmpty() ? null : records.getLast().replace(".json", "");
            landed.merge(target, 1, Integer::sum);
            report.add(String.format("kill %2d/%d at %5.2f s, %-16s %s%s; %s; then on disk: %s", k + 1, plan.size(), at, target.name().toLowerCase().replace('_', ' ') + ":",
                    phase, leftTemporary ? " (killed inside the write: its temporary was left behind)" : "", resumed, trusted));
        }
        String fingerprint = run(runs, RESUME);
        report.forEach(l -> System.out.println("KillCampaignTest: " + l));
        System.out.println("KillCampaignTest: " + plan.size() + " kills (seed " + SEED + "), " + insideWrite + " inside a checkpoint write; the resumed run is bit-identical");
        assertEquals(expected, fingerprint, "the run killed " + plan.size() + " times ends bit-identical to the uninterrupted one");
        assertFalse(hasTemporary(ckpt), "temporaries left by the kills are removed by the next checkpoint");
        assertFalse(hasTemporary(run), "and those in the run folder by the next resume: " + names(run));
        for (Target t : Target.values()) if (plan.contains(t)) assertTrue(landed.getOrDefault(t, 0) > 0, t + " planned but not hit");
    }

    static String run(Path runs, String... extra) throws Exception {
        Parallel.setThreads(2);
        String[] args = PretrainFingerprint.concat(PretrainFingerprint.concat(new String[] {"pretrain", "--runs", runs.toString(), "--name", "r",
                "--threads", "2"}, CONFIG), extra);
        assertEquals(0, dev.tauon.cli.Main.run(args), "pretrain exit status");
        return PretrainFingerprint.of(runs.resolve("r"));
    }

    // Waits until the child is where the target says, plus a seeded random delay; returns what was
    // seen there (the checkpoint being written, the step, the evaluation's stage).
    static String waitFor(Target target, Process p, Path log, Path ckpt, Path run, List<String> before, List<String> beforeRun, Rng rng) throws Exception {
        int steps = 1 + rng.nextInt(1, 3), seen = 0;             // training: 1-3 steps of this process, then 0-300 ms
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            switch (target) {
                case TRAINING -> {
                    String fresh = freshRecord(ckpt, before);
                    if (fresh != null && ++seen == steps) {
                        Thread.sleep((long) (300 * rng.uniform(0)));
                        return "training after " + fresh.replace(".json", "");
                    }
                    if (fresh != null) before = names(ckpt);
                    if (Files.readString(log, StandardCharsets.UTF_8).contains("baselines (raw-pixel")) return "baselines (training was over)";
                }
                case CHECKPOINT_WRITE -> {               // the moment a new temporary appears
                    for (String n : names(ckpt)) if (n.endsWith(".tmp") && !before.contains(n)) return "writing " + n;
                }
                case BASELINES, EVALUATION -> {
                    String marker = target == Target.BASELINES ? "baselines (raw-pixel" : "evaluating on";
                    if (Files.readString(log, StandardCharsets.UTF_8).contains(marker)) {
                        Thread.sleep((long) ((target == Target.BASELINES ? 200 : 400) * rng.uniform(0)));
                        return (target == Target.BASELINES ? "baselines" : "final evaluation") + " (after '" + marker + "')";
                    }
                }
                case OUTPUTS -> {                        // weights.safetensors (or its temporary) appears
                    for (String n : names(run)) if (n.contains("weights.safetensors") && !beforeRun.contains(n)) return "writing outputs (" + n + ")";
                }
            }
            Thread.sleep(1);
        }
        fail(target + ": never reached (" + (p.isAlive() ? "timed out" : "the run exited " + p.exitValue()) + "): " + Files.readString(log));
        return null;
    }

    // Every record names a tensors file whose SHA-256 it holds: what a resume would trust is whole.
    static String everyRecordIsWhole(Path ckpt) throws Exception {
        List<String> ok = new ArrayList<>();
        for (String n : names(ckpt)) {
            if (!n.matches("ckpt-\\d{6}-\\d{6}\\.json")) continue;
            Map<String, Object> rec = JsonFiles.parseObject(Files.readString(ckpt.resolve(n)), n);
            Path tensors = ckpt.resolve(n.replace(".json", ".safetensors"));
            assertTrue(Files.isRegularFile(tensors), n + " without its tensors file");
            assertEquals(rec.get("sha256"), AtomicFiles.sha256(tensors), n + ": a record whose tensors are not whole");
            ok.add(n.replace(".json", ""));
        }
        return ok.isEmpty() ? "no checkpoint yet" : String.join(", ", ok) + " whole";
    }

    static String freshRecord(Path ckpt, List<String> before) throws Exception {
        for (String n : names(ckpt)) if (n.matches("ckpt-\\d{6}-\\d{6}\\.json") && !before.contains(n)) return n;
        return null;
    }

    static boolean hasTemporary(Path ckpt) throws Exception {
        return names(ckpt).stream().anyMatch(n -> n.endsWith(".tmp"));
    }

    static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
    }
}
