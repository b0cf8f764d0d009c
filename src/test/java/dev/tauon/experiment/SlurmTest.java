package dev.tauon.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

// The sbatch script's text and behaviour without a cluster: its directives and java line, bash
// parsing and quoting (paths with spaces and quotes), the signal handling run under plain bash
// against a stand-in java, and submit() against a fake sbatch on PATH.
class SlurmTest {
    @TempDir Path tmp;

    Slurm.Options options(Path sweep, Path jdk, List<String> flags) {
        return new Slurm.Options(sweep, 12, 3, 4, 2.5, "cpu", "04:00:00", "8G", tmp.resolve("lib dir/tauon.jar"), jdk, flags);
    }

    @Test void directivesAndJavaLine() {
        String s = Slurm.script(options(tmp.resolve("grid"), Path.of("/opt/jdk-25"), List.of("-Xmx8g")));
        List<String> lines = s.lines().toList();
        assertEquals("#!/usr/bin/env bash", lines.getFirst());
        assertTrue(lines.contains("#SBATCH --array=0-11%3"), s);
        assertTrue(lines.contains("#SBATCH --requeue"), s);
        assertTrue(lines.contains("#SBATCH --signal=B:USR1@120"), s);
        assertTrue(lines.contains("#SBATCH --cpus-per-task=4"), s);
        assertTrue(lines.contains("#SBATCH --job-name=tauon-grid"), s);
        assertTrue(lines.contains("#SBATCH --output=" + tmp.resolve("grid") + "/slurm/%A_%a.out"), s);
        assertTrue(lines.contains("#SBATCH --partition=cpu"), s);
        assertTrue(lines.contains("#SBATCH --time=04:00:00"), s);
        assertTrue(lines.contains("#SBATCH --mem=8G"), s);
        assertTrue(lines.contains("'/opt/jdk-25/bin/java' --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED '-Xmx8g'"
                + " -jar '" + tmp.resolve("lib dir/tauon.jar") + "' sweep run --dir '" + tmp.resolve("grid")
                + "' --index \"$index\" --threads \"$threads\" --checkpoint-minutes 2.5 &"), s);
        assertTrue(lines.contains("    scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\""), s);
        // every directive comes before the first command, and every directive line has a comment above it
        int firstCommand = lines.indexOf("index=\"${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:?neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set}}\"");
        assertTrue(firstCommand > 0, s);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#SBATCH")) {
                assertTrue(i < firstCommand, lines.get(i));
                assertTrue(lines.get(i - 1).startsWith("# ") || lines.get(i - 1).startsWith("#SBATCH --output"), lines.get(i));
            }
        }
        assertFalse(java.util.regex.Pattern.compile("(?<!\\$)\\{[A-Z_]+}").matcher(s).find(), "a placeholder left: " + s);
    }

    @Test void optionalDirectivesLeftOutWhenNull() {
        String s = Slurm.script(new Slurm.Options(tmp.resolve("g"), 1, 1, 1, 10, null, null, null, tmp.resolve("t.jar"), tmp, List.of()));
        assertTrue(s.contains("#SBATCH --array=0-0%1\n"), s);
        assertFalse(s.contains("--partition") || s.contains("--time") || s.contains("--mem"), s);
        assertTrue(s.contains(" --checkpoint-minutes 10 &\n"), s);
        String tiny = Slurm.script(new Slurm.Options(tmp.resolve("g"), 1, 1, 1, 1e-5, null, null, null, tmp.resolve("t.jar"), tmp, List.of()));
        assertTrue(tiny.contains(" --checkpoint-minutes 0.00001 &\n"), "a plain decimal, as `sweep run` parses it: " + tiny);
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new Slurm.Options(tmp.resolve("g"), 1, 1, 1, bad, null, null, null, tmp.resolve("t.jar"), tmp, List.of()));
        }
    }

    @Test void pathsWithSpacesAndQuotesAreQuoted() throws Exception {
        Path sweep = tmp.resolve("my sweep's 100%");
        String s = Slurm.script(options(sweep, tmp.resolve("j d k"), List.of("-Dx=a b", "-Dy=it's")));
        assertTrue(s.contains("#SBATCH --output=\"" + tmp + "/my sweep's 100%%/slurm/%A_%a.out\"\n"), s);
        assertTrue(s.contains("#SBATCH --job-name=tauon-my_sweep_s_100_\n"), s);
        assertTrue(s.contains("--dir '" + tmp + "/my sweep'\\''s 100%'"), s);
        assertTrue(s.contains("'-Dx=a b' '-Dy=it'\\''s'"), s);
        assertEquals(0, bash(List.of("bash", "-n", Slurm.write(options(sweep, tmp, List.of())).toString()), Map.of()).code);
        assertThrows(IllegalArgumentException.class, () -> options(tmp.resolve("a\"b"), tmp, List.of()));
        assertThrows(IllegalArgumentException.class, () -> options(tmp.resolve("a\nb"), tmp, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Slurm.Options(sweep, 1, 1, 1, 10, "a b", null, null, tmp, tmp, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Slurm.Options(sweep, 0, 1, 1, 10, null, null, null, tmp, tmp, List.of()));
    }

    // A stand-in for bin/java: records its arguments, and on TERM exits 143 like a checkpointing run.
    static final String FAKE_JAVA = """
            #!/bin/bash
            printf '%s\\n' "$@" > "$ARGS_FILE"
            trap 'echo term >> "$ARGS_FILE"; kill $s; exit 143' TERM
            [ "${FINISH:-}" = 1 ] && exit 0
            sleep 30 & s=$!
            wait
            """;

    Path fakeJdk() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("fake jdk/bin"));
        executable(bin.resolve("java"), FAKE_JAVA);
        return bin.getParent();
    }

    @Test void runsTheEntryOutsideSlurmWithTheKubernetesIndex() throws Exception {
        Path script = Slurm.write(options(tmp.resolve("sw eep"), fakeJdk(), List.of("-Xss4m")));
        Path args = tmp.resolve("args");
        Result r = bash(List.of("bash", script.toString()), Map.of("JOB_COMPLETION_INDEX", "5", "ARGS_FILE", args.toString(), "FINISH", "1"));
        assertEquals(0, r.code, r.output);
        assertEquals(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-jar",
                tmp.resolve("lib dir/tauon.jar").toString(), "sweep", "run", "--dir", tmp.resolve("sw eep").toString(),
                "--index", "5", "--threads", "4", "--checkpoint-minutes", "2.5"), Files.readAllLines(args));
        Result none = bash(List.of("bash", script.toString()), Map.of("ARGS_FILE", args.toString()));
        assertNotEquals(0, none.code);
        assertTrue(none.output.contains("neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set"), none.output);
    }

    // TERM to the batch shell reaches java; java's checkpoint status 143 is the script's, and
    // without USR1 the script does not requeue (a fake scontrol on PATH would record it).
    @Test void termIsForwardedAndTheStatusKept() throws Exception {
        Path script = Slurm.write(options(tmp.resolve("s"), fakeJdk(), List.of()));
        Path args = tmp.resolve("args"), calls = tmp.resolve("scontrol-calls");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        executable(bin.resolve("scontrol"), "#!/bin/bash\necho \"$@\" >> '" + calls + "'\n");
        for (String signal : List.of("TERM", "USR1")) {
            Files.deleteIfExists(args);
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
            pb.environment().putAll(Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_JOB_ID", "77", "SLURM_CPUS_PER_TASK", "3",
                    "ARGS_FILE", args.toString(), "PATH", bin + ":" + System.getenv("PATH")));
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(args) && Files.readAllLines(args).contains("3"))) {
                assertTrue(System.nanoTime() < deadline, "the stand-in java did not start");
                Thread.sleep(20);
            }
            Thread.sleep(100);  // let java set its trap
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the script did not exit after " + signal);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(143, p.exitValue(), out);
            assertEquals("term", Files.readAllLines(args).getLast(), signal + " was not passed on to java");
            if (signal.equals("TERM")) assertFalse(Files.exists(calls), "requeued after TERM");
            else assertEquals(List.of("requeue 77_2"), Files.readAllLines(calls), out);
        }
    }

    @Test void submitParsesTheJobIdFromAFakeSbatch() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path got = tmp.resolve("got");
        executable(bin.resolve("sbatch"), "#!/bin/bash\nfor a in \"$@\"; do echo \"$a\"; done > '" + got + "'\necho '4242;cluster'\n");
        Path script = Slurm.write(options(tmp.resolve("s"), tmp, List.of()));
        assertEquals("4242", Slurm.submit(script, bin.toString()));
        assertEquals(List.of("--parsable", script.toString()), Files.readAllLines(got));

        executable(bin.resolve("sbatch"), "#!/bin/bash\necho 'Submitted batch job 17'\n");
        assertEquals("17", Slurm.submit(script, bin.toString()));

        executable(bin.resolve("sbatch"), "#!/bin/bash\necho 'sbatch: error: Invalid partition name specified' >&2\nexit 1\n");
        IOException e = assertThrows(IOException.class, () -> Slurm.submit(script, bin.toString()));
        assertTrue(e.getMessage().contains("failed (exit 1): sbatch: error: Invalid partition name specified"), e.getMessage());

        executable(bin.resolve("sbatch"), "#!/bin/bash\necho hello\n");
        e = assertThrows(IOException.class, () -> Slurm.submit(script, bin.toString()));
        assertTrue(e.getMessage().contains("printed no job id: hello"), e.getMessage());
    }

    @Test void submitSaysSoWhenSbatchIsMissing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path script = Slurm.write(options(tmp.resolve("s"), tmp, List.of()));
        IOException e = assertThrows(IOException.class, () -> Slurm.submit(script, empty.toString()));
        assertTrue(e.getMessage().startsWith("sbatch not found on PATH"), e.getMessage());
        assertFalse(Slurm.available(empty.toString()));
    }

    @Test void availableAsksTheController() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        executable(bin.resolve("sbatch"), "#!/bin/bash\nexit 0\n");
        executable(bin.resolve("sinfo"), "#!/bin/bash\necho 'slurm_load_partitions: Unable to contact slurm controller' >&2\nexit 1\n");
        assertFalse(Slurm.available(bin.toString()));
        executable(bin.resolve("sinfo"), "#!/bin/bash\necho debug\n");
        assertTrue(Slurm.available(bin.toString()));
    }

    static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Result(int code, String output) {}

    static Result bash(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") || k.equals("JOB_COMPLETION_INDEX"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }
}
