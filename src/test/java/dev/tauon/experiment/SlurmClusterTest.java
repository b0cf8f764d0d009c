package dev.tauon.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

// The generated script on a real single-node Slurm cluster (scripts/slurm-local.sh; skipped with
// its reason where Slurm cannot be started): an array of 4 runs, 2 at a time, one requeued in the
// middle of its run. Every run must finish exactly once, the requeued one resumed from its
// checkpoint. A bash stand-in plays `sweep run` (the real command replaces it once it lands).
class SlurmClusterTest {
    static final int TASKS = 4, STEPS = 40;

    // Stand-in for `java FLAGS -jar JAR sweep run --dir D --index I --threads T`: STEPS steps of
    // 0.25 s, each logged to runs/I/steps; on TERM it saves the last finished step and exits 143;
    // it starts from the saved step; DONE at the end; a finished run exits 0 at once.
    static final String STAND_IN = """
            #!/bin/bash
            while [ $# -gt 0 ]; do
              case "$1" in --dir) dir="$2"; shift ;; --index) index="$2"; shift ;; --threads) threads="$2"; shift ;; esac
              shift
            done
            run="$dir/runs/$index"
            mkdir -p "$run"
            [ -f "$run/DONE" ] && exit 0
            step=0
            [ -f "$run/checkpoint" ] && step=$(cat "$run/checkpoint")
            echo "start $step threads $threads" >> "$run/events"
            trap 'kill $s 2>/dev/null; echo $step > "$run/checkpoint.tmp"; mv "$run/checkpoint.tmp" "$run/checkpoint"
                  echo "checkpoint $step" >> "$run/events"; exit 143' TERM
            while [ $step -lt %d ]; do
              sleep 0.25 & s=$!
              wait $s
              step=$((step + 1))
              echo $step >> "$run/steps"
              echo $step > "$run/progress"
            done
            echo done >> "$run/events"
            touch "$run/DONE"
            """.formatted(STEPS);

    @Test void arrayTasksFinishOnceAndARequeuedTaskResumes(@TempDir Path tmp) throws Exception {
        // one such test at a time on this machine (other checkouts run it too): it may stop the
        // cluster at the end, and two arrays on two CPUs would slow each other past the timeout
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "tauon-slurm-cluster-test.lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            runOnLocalCluster(tmp);
        }
    }

    void runOnLocalCluster(Path tmp) throws Exception {
        Path cluster = Path.of("scripts/slurm-local.sh").toAbsolutePath();
        boolean wasUp = run(List.of("bash", cluster.toString(), "status"), 30).code == 0;
        Result up = run(List.of("bash", cluster.toString(), "start"), 600);
        assumeTrue(up.code != 3, up.output.strip());
        assertEquals(0, up.code, "scripts/slurm-local.sh start: " + up.output);
        String job = null;
        try {
            Path sweep = tmp.resolve("tiny sweep");
            Path jdk = tmp.resolve("stand-in jdk");
            Files.createDirectories(jdk.resolve("bin"));
            SlurmTest.executable(jdk.resolve("bin/java"), STAND_IN);
            Files.createDirectories(sweep);
            Files.write(sweep.resolve("plan.jsonl"), IntStream.range(0, TASKS).mapToObj(i -> "{\"index\":" + i + "}").toList());
            Slurm.Options o = new Slurm.Options(sweep, TASKS, 2, 1, null, null, null, tmp.resolve("tauon.jar"), jdk, List.of());
            job = Slurm.submit(Slurm.write(o));

            Path progress1 = sweep.resolve("runs/1/progress");
            long t0 = System.nanoTime();
            while (!(Files.exists(progress1) && readInt(progress1) >= 8)) {
                assertTrue(seconds(t0) < 60, "task 1 did not run: " + diagnosis(job));
                Thread.sleep(100);
            }
            Result rq = run(List.of("scontrol", "requeue", job + "_1"), 30);
            assertEquals(0, rq.code, "scontrol requeue: " + rq.output);

            while (!finished(sweep, job)) {
                assertTrue(seconds(t0) < 180, "the array did not finish in 180 s: " + diagnosis(job));
                Thread.sleep(500);
            }
            List<String> allSteps = IntStream.rangeClosed(1, STEPS).mapToObj(Integer::toString).toList();
            for (int i = 0; i < TASKS; i++) {
                Path runDir = sweep.resolve("runs/" + i);
                assertEquals(allSteps, Files.readAllLines(runDir.resolve("steps")), "run " + i + " computed a step twice or skipped one");
                List<String> events = Files.readAllLines(runDir.resolve("events"));
                if (i != 1) {
                    assertEquals(List.of("start 0 threads 1", "done"), events, "run " + i);
                } else {
                    assertEquals(4, events.size(), "run 1: " + events);
                    int saved = Integer.parseInt(events.get(1).substring("checkpoint ".length()));
                    assertTrue(saved >= 8 && saved < STEPS, "run 1: " + events);
                    assertEquals(List.of("start 0 threads 1", "checkpoint " + saved, "start " + saved + " threads 1", "done"), events);
                }
            }
            // --open-mode=append kept the first attempt's log beside the second's
            String log1 = Files.readString(sweep.resolve("slurm/" + job + "_1.out"));
            assertTrue(log1.contains("DUE TO JOB REQUEUE"), log1);
            job = null;
        } finally {
            if (job != null) run(List.of("scancel", job), 30);
            if (!wasUp) run(List.of("bash", cluster.toString(), "stop"), 60);
        }
    }

    // All runs DONE and no task of the job left in the queue.
    static boolean finished(Path sweep, String job) throws Exception {
        for (int i = 0; i < TASKS; i++) if (!Files.exists(sweep.resolve("runs/" + i + "/DONE"))) return false;
        return run(List.of("squeue", "-h", "-j", job), 30).output.isBlank();
    }

    static String diagnosis(String job) throws Exception {
        return "\n" + run(List.of("squeue", "-j", job), 30).output + run(List.of("scontrol", "show", "job", job), 30).output;
    }

    static int readInt(Path p) throws IOException {
        String s = Files.readString(p).strip();
        return s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    record Result(int code, String output) {}

    static Result run(List<String> cmd, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("slurm-cluster-test", ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, cmd + " timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, cmd.getFirst() + ": " + e.getMessage());
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
