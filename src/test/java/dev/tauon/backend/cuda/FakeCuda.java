package dev.tauon.backend.cuda;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

// Builds src/test/c/fakecuda.c with gcc into libcudart.so.12 and libcublas.so.12 in a temp
// directory, once per JVM, and reaches its test hooks. Without gcc the calling test is skipped.
public final class FakeCuda {
    private static final String GCC = Files.isExecutable(Path.of("/usr/bin/gcc")) ? "/usr/bin/gcc" : "gcc";
    private static Path dir;
    private static String gccProblem;

    private FakeCuda() {}

    // The directory holding the two fake libraries; skips the test when gcc is absent.
    public static synchronized Path dir() {
        if (dir == null && gccProblem == null) build();
        Assumptions.assumeTrue(gccProblem == null, () -> "skipped: " + gccProblem);
        return dir;
    }

    private static void build() {
        try {
            if (run(List.of(GCC, "--version")) != 0) {
                gccProblem = "gcc --version failed; the fake CUDA libraries cannot be built";
                return;
            }
        } catch (IOException e) {
            gccProblem = "gcc not found (" + e.getMessage() + "); the fake CUDA libraries cannot be built";
            return;
        }
        try {
            Path out = Files.createTempDirectory("tauon-fakecuda");
            out.toFile().deleteOnExit();
            Path src = Path.of("src/test/c/fakecuda.c").toAbsolutePath();
            compile(src, "-DFAKE_CUDART", out.resolve("libcudart.so.12"));
            compile(src, "-DFAKE_CUBLAS", out.resolve("libcublas.so.12"));
            dir = out;
        } catch (IOException e) {
            throw new IllegalStateException("building the fake CUDA libraries failed", e);
        }
    }

    private static void compile(Path src, String define, Path lib) throws IOException {
        exec(new String[] {GCC, "-shared", "-fPIC", "-O2", "-Wall", "-Wl,-z,noexecstack", define, "-o", lib.toString(), src.toString()});
        lib.toFile().deleteOnExit();
    }

    // Runs gcc (after dir() found it) with the given arguments; its output is in the failure.
    static void gcc(String... args) throws IOException {
        dir();
        String[] cmd = new String[args.length + 1];
        cmd[0] = GCC;
        System.arraycopy(args, 0, cmd, 1, args.length);
        exec(cmd);
    }

    private static void exec(String[] cmd) throws IOException {
        Path log = Files.createTempFile("tauon-gcc", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        int rc = waitFor(pb.start());
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (rc != 0) throw new IOException(String.join(" ", cmd) + " exited " + rc + ":\n" + output);
    }

    private static int run(List<String> cmd) throws IOException {
        return waitFor(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private static int waitFor(Process p) throws IOException {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("gcc timed out");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    // ---- test hooks (same library instances the bindings load: dlopen shares them by path) ----

    @SuppressWarnings("restricted")
    private static MethodHandle hook(String lib, String name, FunctionDescriptor fd) {
        SymbolLookup l = SymbolLookup.libraryLookup(dir().resolve(lib), Arena.global());
        return Linker.nativeLinker().downcallHandle(l.find(name).orElseThrow(), fd);
    }

    private static Object call(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void failNextMalloc() {
        call(hook("libcudart.so.12", "fake_fail_next_malloc", FunctionDescriptor.ofVoid()));
    }

    public static void setDeviceCount(int n) {
        call(hook("libcudart.so.12", "fake_set_device_count", FunctionDescriptor.ofVoid(JAVA_INT)), n);
    }

    public static long mallocCount() {
        return (long) call(hook("libcudart.so.12", "fake_malloc_count", FunctionDescriptor.of(JAVA_LONG)));
    }

    // device and pinned host allocations not yet freed
    public static long liveCount() {
        return (long) call(hook("libcudart.so.12", "fake_live_count", FunctionDescriptor.of(JAVA_LONG)));
    }

    public static void sgemmStatusNext(int status) {
        call(hook("libcublas.so.12", "fake_sgemm_status_next", FunctionDescriptor.ofVoid(JAVA_INT)), status);
    }

    public static long handleCount() {
        return (long) call(hook("libcublas.so.12", "fake_handle_count", FunctionDescriptor.of(JAVA_LONG)));
    }

    public static int lastMathMode() {
        return (int) call(hook("libcublas.so.12", "fake_last_math_mode", FunctionDescriptor.of(JAVA_INT)));
    }

    // Status from probing the fake, which must find it.
    public static Cuda.Available available() {
        return switch (Cuda.probe(java.util.Optional.of(dir()))) {
            case Cuda.Available a -> a;
            case Cuda.Unavailable u -> throw new AssertionError("the fake should be found: " + u.reason());
        };
    }
}
