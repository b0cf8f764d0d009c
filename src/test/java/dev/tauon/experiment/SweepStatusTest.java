package dev.tauon.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// `tauon sweep status` on run folders written by hand, one per state: what each folder's files
// (DONE, log.txt's last line, history.csv, the checkpoint's age, a Slurm task log) make it say.
class SweepStatusTest {
    @TempDir Path tmp;

    static final String STAMP = "2026-01-02 03:04:05  ";

    @Test void eachStateFromTheFoldersAlone() throws Exception {
        Path dir = tmp.resolve("grid");
        Object[] planned = SweepTest.quietly("sweep", "plan", "--dir", dir.toString(), "--dataset", "fashion-mnist-small", "--limit", "64",
                "--batch", "32", "--epochs", "3", "--losses", "infonce", "--taus", "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8");
        assertEquals(0, planned[0], (String) planned[1]);
        List<Sweep.Entry> plan = Sweep.readPlan(dir);
        Path[] run = plan.stream().map(e -> Sweep.folder(dir, e.config()).dir()).toArray(Path[]::new);

        // 0 pending: nothing at all. 1 done.
        Files.createDirectories(run[1]);
        Files.writeString(run[1].resolve("metrics.json"), "{\"knn_accuracy\": 0.5, \"linear_accuracy\": 0.25}");
        Files.writeString(run[1].resolve("DONE"), "");
        // 2 failed, with the reason from its log
        log(run[2], "run x on data", "failed: out of memory (Java heap space)");
        // 3 interrupted: a signal stopped it, checkpoint written
        log(run[3], "run x on data", "stopped by a signal at epoch 2 step 5; checkpoint written");
        // 4 running its second epoch; 5 the same but silent for 20 minutes; 6 past its last epoch
        log(run[4], "run x on data", "epoch 1/3: loss 1");
        Files.writeString(run[4].resolve("history.csv"), "epoch,loss\n1,1\n");
        log(run[5], "run x on data", "resumed from ckpt-000001-000000.json");
        Files.writeString(run[5].resolve("history.csv"), "epoch,loss\n1,1\n");
        long old = System.currentTimeMillis() - 20 * 60_000;
        for (String f : List.of("log.txt", "history.csv")) Files.setLastModifiedTime(run[5].resolve(f), FileTime.fromMillis(old));
        log(run[6], "run x on data", "epoch 3/3: loss 1");
        Files.writeString(run[6].resolve("history.csv"), "epoch,loss\n1,1\n2,1\n3,1\n");
        // 7: a Slurm task that ended before its run folder was written
        Files.createDirectories(dir.resolve("slurm"));
        Files.writeString(dir.resolve("slurm/12_7.out"), "WARNING: Using incubator modules: jdk.incubator.vector\n"
                + "tauon sweep run: error: something is wrong\n");

        List<String> states = Sweep.status(dir).stream().map(r -> r.state() + " " + r.detail()).toList();
        assertEquals(List.of("pending ", "done (kNN 50.00%, linear 25.00%)", "failed out of memory (Java heap space)",
                "interrupted (stopped by a signal at epoch 2 step 5; checkpoint written)", "running (epoch 2/3)",
                "stalled (epoch 2/3; nothing written for 20 min: killed, or still in a long stretch without a checkpoint)",
                "running (evaluating)", "failed tauon sweep run: error: something is wrong (slurm/12_7.out, before the run folder was written)"), states);

        // a newer attempt of task 7 that has only started its JVM
        Path newer = dir.resolve("slurm/13_7.out");
        Files.writeString(newer, "WARNING: Using incubator modules: jdk.incubator.vector\n");
        Files.setLastModifiedTime(newer, FileTime.fromMillis(Files.getLastModifiedTime(dir.resolve("slurm/12_7.out")).toMillis() + 1000));
        assertEquals("starting (slurm/13_7.out)", Sweep.status(dir).get(7).state() + " " + Sweep.status(dir).get(7).detail());

        Object[] shown = SweepTest.quietly("sweep", "status", dir.toString());
        assertEquals(0, shown[0], (String) shown[1]);
        String out = (String) shown[2];
        assertTrue(out.contains("seed 0  failed: out of memory (Java heap space)\n"), out);
        assertTrue(out.endsWith("1 of 8 runs done; 1 pending, 1 starting, 2 running, 1 interrupted, 1 stalled, 1 failed\n"), out);
    }

    static void log(Path run, String... lines) throws Exception {
        Files.createDirectories(run);
        StringBuilder b = new StringBuilder();
        for (String l : lines) b.append(STAMP).append(l).append('\n');
        Files.writeString(run.resolve("log.txt"), b.toString());
    }
}
