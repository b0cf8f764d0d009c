package dev.tauon.experiment;

import dev.tauon.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

// `tauon sweep slurm` on a real single-node Slurm cluster (scripts/slurm-local.sh; skipped with
// its reason where Slurm cannot be started): a 4-run sweep as an array, 2 at a time, one task
// requeued (scontrol requeue) in the middle of its run. The report's results and every run's
// weights, embeddings and history must equal, bit for bit, those of the same sweep run here.
class SlurmClusterTest {
    static final List<String> GRID = List.of("--dataset", "fashion-mnist-small", "--limit", "128", "--epochs", "2", "--batch", "32",
            "--probe-epochs", "1", "--losses", "infonce,simple", "--taus", "0.2", "--seeds", "0,1");
    static final int RUNS = 4, REQUEUED = 1;
    // every JVM of the test (and so every array task, which gets the flags of `sweep slurm`)
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx1g");

    @Test void aSweepOnSlurmWithARequeuedTaskEqualsTheSameSweepRunHere(@TempDir Path tmp) throws Exception {
        // one such test at a time on this machine (other checkouts run it too): it may stop the
        // cluster at the end, and two arrays on two CPUs would slow each other past the deadlines
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "tauon-slurm-cluster-test.lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            runOnLocalCluster(tmp);
        }
    }

    void runOnLocalCluster(Path tmp) throws Exception {
        long t0 = System.nanoTime();
        Path cluster = Path.of("scripts/slurm-local.sh").toAbsolutePath();
        boolean wasUp = run(List.of("bash", cluster.toString(), "status"), 30).code == 0;
        Result up = run(List.of("bash", cluster.toString(), "start"), 600);
        assumeTrue(up.code != 3, up.output.strip());
        assertEquals(0, up.code, "scripts/slurm-local.sh start: " + up.output);
        double clusterSeconds = seconds(t0);
        String job = null;
        Process here = null;
        try {
            Path jar = thinJar(tmp.resolve("tauon"));
            Path sweep = tmp.resolve("on slurm"), local = tmp.resolve("here");
            Result sub = tauon(jar, concat(List.of("sweep", "slurm", "--dir", sweep.toString()), GRID,
                    List.of("--threads", "1", "--parallel", "2", "--checkpoint-minutes", "0.005")));
            assertEquals(0, sub.code, sub.output);
            Matcher m = Pattern.compile("submitted job (\\d+)").matcher(sub.output);
            assertTrue(m.find(), sub.output);
            job = m.group(1);
            String jobId = job;
            String script = Files.readString(sweep.resolve("slurm/tauon.sbatch"));
            assertTrue(script.contains("#SBATCH --array=0-3%2\n") && script.contains("#SBATCH --cpus-per-task=1\n")
                    && script.contains("'-XX:+UseSerialGC' '-Xmx1g' -jar '" + jar + "'") && script.contains(" --checkpoint-minutes 0.005 &"), script);

            // requeue task 1 as soon as it has written a checkpoint: in the middle of its training
            List<Sweep.Entry> plan = Sweep.readPlan(sweep);
            assertEquals(RUNS, plan.size());
            Path run1 = Sweep.runs(sweep).resolve(plan.get(REQUEUED).config().id());
            long submitted = System.nanoTime();
            while (!hasCheckpoint(run1.resolve("checkpoint"))) {
                assertTrue(seconds(submitted) < 120, "task " + REQUEUED + " wrote no checkpoint in 120 s: " + diagnosis(job));
                Thread.sleep(50);
            }
            assertFalse(Files.exists(run1.resolve("DONE")), "run " + REQUEUED + " finished before the requeue");
            Result rq = run(List.of("scontrol", "requeue", job + "_" + REQUEUED), 30);
            assertEquals(0, rq.code, "scontrol requeue: " + rq.output);
            Result midway = tauon(jar, List.of("sweep", "status", sweep.toString()));

            // meanwhile the same sweep here: 2 threads instead of 1, no checkpoints within epochs
            here = start(jar, tmp.resolve("here.log"), concat(List.of("sweep", "--dir", local.toString()), GRID,
                    List.of("--threads", "2", "--checkpoint-minutes", "0")));
            while (!finished(sweep, job)) {
                assertTrue(seconds(submitted) < 300, "the array did not finish in 300 s: " + diagnosis(job));
                Thread.sleep(500);
            }
            double arraySeconds = seconds(submitted);
            assertTrue(here.waitFor(300, TimeUnit.SECONDS), "the local sweep did not finish");
            assertEquals(0, here.exitValue(), Files.readString(tmp.resolve("here.log")));
            job = null;

            // the requeued run stopped with a checkpoint and the next attempt resumed from it
            String log1 = Files.readString(run1.resolve("log.txt"));
            assertEquals(2, log1.lines().filter(l -> l.contains("  run " + plan.get(REQUEUED).config().id() + " on ")).count(), log1);
            assertTrue(log1.contains("stopped by a signal") && log1.contains("resumed from ckpt-"), log1);
            assertTrue(log1.contains(", 1 threads,"), "SLURM_CPUS_PER_TASK became --threads: " + log1);
            String out1 = Files.readString(sweep.resolve("slurm/" + jobId + "_" + REQUEUED + ".out"));
            assertTrue(out1.contains("DUE TO JOB REQUEUE"), "the log kept both attempts: " + out1);
            for (Sweep.Entry e : plan) {
                if (e.index() == REQUEUED) continue;
                String log = Files.readString(Sweep.runs(sweep).resolve(e.config().id()).resolve("log.txt"));
                assertFalse(log.contains("resumed"), "run " + e.index() + " ran once: " + log);
            }
            // sweep status: the requeued run was running or interrupted, nothing failed; at the end all done
            assertEquals(0, midway.code, midway.output);
            String line1 = midway.output.lines().filter(l -> l.startsWith(String.format("%3d  ", REQUEUED))).findFirst().orElse("");
            assertTrue(line1.contains(" running (epoch ") || line1.contains(" interrupted ("), midway.output);
            assertFalse(midway.output.contains(" failed") || midway.output.contains(" stalled"), midway.output);
            Result status = tauon(jar, List.of("sweep", "status", sweep.toString()));
            assertTrue(status.output.contains("4 of 4 runs done\n"), status.output);

            // the report from the cluster's folders equals the local one, bit for bit
            Result report = tauon(jar, List.of("report", sweep.toString()));
            assertEquals(0, report.code, report.output);
            List<String> there = Files.readAllLines(sweep.resolve("results.csv")), mine = Files.readAllLines(local.resolve("results.csv"));
            assertEquals(RUNS + 1, there.size(), String.join("\n", there));
            assertEquals(withoutColumn(mine, "seconds"), withoutColumn(there, "seconds"), "results.csv without its wall-clock column");
            assertEquals(SweepTest.fingerprints(local, plan), SweepTest.fingerprints(sweep, plan), "weights, embeddings, history, metrics");
            System.out.print("sweep status right after the requeue:\n" + midway.output);
            System.out.printf("SlurmClusterTest: cluster up in %.1f s, array of %d done in %.0f s (requeue included), %.0f s in all%n",
                    clusterSeconds, RUNS, arraySeconds, seconds(t0));
        } finally {
            if (here != null) here.destroyForcibly().waitFor();
            if (job != null) run(List.of("scancel", job), 30);
            if (!wasUp) run(List.of("bash", cluster.toString(), "stop"), 60);
        }
    }

    // `tauon` during `mvn test`, before target/tauon.jar is built: a jar of target/classes (the
    // code under test) whose manifest names the test class path's jars, linked beside it, so that
    // `java -jar` runs it like target/tauon.jar and `sweep slurm` writes that jar into the script.
    static Path thinJar(Path dir) throws Exception {
        Path classes = Path.of(RunJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "expected target/classes, got " + classes);
        Path lib = Files.createDirectories(dir.resolve("lib"));
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) continue;
            String name = classPath.size() + "-" + p.getFileName();
            Files.createSymbolicLink(lib.resolve(name), p.toAbsolutePath());
            classPath.add("lib/" + name);
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        mf.getMainAttributes().putValue("Enable-Native-Access", "ALL-UNNAMED");
        Path jar = dir.resolve("tauon.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    static List<String> javaCommand(Path jar, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Arrays.asList(System.getProperty("tauon.test.jvmFlags", "--add-modules jdk.incubator.vector").trim().split("\\s+")));
        cmd.addAll(JVM_FLAGS);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        return cmd;
    }

    static Result tauon(Path jar, List<String> args) throws Exception {
        return run(javaCommand(jar, args), 300);
    }

    static Process start(Path jar, Path log, List<String> args) throws IOException {
        return new ProcessBuilder(javaCommand(jar, args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) out.addAll(p);
        return out;
    }

    static boolean hasCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().matches("ckpt-\\d+-\\d+\\.json"));
        }
    }

    // The CSV lines with one column (named in the header) left out.
    static List<String> withoutColumn(List<String> csv, String column) {
        int j = Arrays.asList(csv.getFirst().split(",", -1)).indexOf(column);
        assertTrue(j >= 0, column + " not in " + csv.getFirst());
        List<String> out = new ArrayList<>();
        for (String line : csv) {
            List<String> f = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            f.remove(j);
            out.add(String.join(",", f));
        }
        return out;
    }

    // All runs DONE and no task of the job left in the queue.
    static boolean finished(Path sweep, String job) throws Exception {
        for (Sweep.Entry e : Sweep.readPlan(sweep)) if (!Sweep.folder(sweep, e.config()).isDone()) return false;
        return run(List.of("squeue", "-h", "-j", job), 30).output.isBlank();
    }

    static String diagnosis(String job) throws Exception {
        return "\n" + run(List.of("squeue", "-j", job), 30).output + run(List.of("scontrol", "show", "job", job), 30).output;
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
