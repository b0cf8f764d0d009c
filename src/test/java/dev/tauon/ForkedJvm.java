package dev.tauon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

// Runs a main class of the test classpath in a fresh JVM with extra flags (e.g.
// -XX:MaxVectorSize=32, -Xmx64m) and returns what it printed: how tests compare results across
// JVM configurations that cannot change inside one process.
public final class ForkedJvm {
    private ForkedJvm() {}

    public record Result(int code, String out, String err) {}

    // The child's standard output, trimmed; fails unless it exits 0.
    public static String run(Class<?> main, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        Result r = exec(main, jvmFlags, args);
        if (r.code() != 0) throw new IllegalStateException("forked JVM exited " + r.code() + ": " + r.err());
        return r.out().trim();
    }

    // Exit status, standard output and standard error of the child, whatever its status.
    public static Result exec(Class<?> main, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        List<String> cmd = command(List.of(), main, jvmFlags, args);
        Path err = Files.createTempFile("forked-jvm", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("forked JVM timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    // Starts main in a fresh JVM and returns the process (stdout and stderr to `log`), for tests
    // that signal or kill it.
    public static Process start(Class<?> main, List<String> jvmFlags, Path log, String... args) throws IOException {
        return start(List.of(), main, jvmFlags, log, args);
    }

    // The same behind a command prefix (e.g. setpriv with fewer capabilities, or bash -c 'ulimit ...; exec "$@"').
    public static Process start(List<String> prefix, Class<?> main, List<String> jvmFlags, Path log, String... args) throws IOException {
        return new ProcessBuilder(command(prefix, main, jvmFlags, args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    // prefix, then this JVM's java with the test JVM flags and jvmFlags, the test classpath, main and args
    private static List<String> command(List<String> prefix, Class<?> main, List<String> jvmFlags, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String base = System.getProperty("tauon.test.jvmFlags", "--add-modules jdk.incubator.vector");
        cmd.addAll(Arrays.asList(base.trim().split("\\s+")));
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }
}
