package dev.tauon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

// Runs a main class of the test classpath in a fresh JVM with extra flags (e.g.
// -XX:MaxVectorSize=32) and returns its standard output: how tests compare results across JVM
// configurations that cannot change inside one process.
public final class ForkedJvm {
    private ForkedJvm() {}

    public static String run(Class<?> main, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String base = System.getProperty("tauon.test.jvmFlags", "--add-modules jdk.incubator.vector");
        cmd.addAll(Arrays.asList(base.trim().split("\\s+")));
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("forked JVM timed out: " + cmd);
        }
        if (p.exitValue() != 0) throw new IllegalStateException("forked JVM exited " + p.exitValue() + ": " + cmd);
        return new String(out, StandardCharsets.UTF_8).trim();
    }

    // Starts main in a fresh JVM and returns the process (stdout and stderr to `log`), for tests
    // that signal or kill it.
    public static Process start(Class<?> main, List<String> jvmFlags, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String base = System.getProperty("tauon.test.jvmFlags", "--add-modules jdk.incubator.vector");
        cmd.addAll(Arrays.asList(base.trim().split("\\s+")));
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
