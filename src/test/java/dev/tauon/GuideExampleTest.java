package dev.tauon;

import dev.tauon.data.Datasets;
import dev.tauon.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

// docs/examples/TrainAndMeasure.java, the Java example of docs/guide.md, compiled against the
// current classes (warnings are errors) and run small: its losses are finite, its uniformity and
// tolerance lie in their ranges and move the way InfoNCE training moves them, and it prints the
// same bits on 1 and 2 threads. An API change that breaks the guide fails here.
class GuideExampleTest {
    static final Path SOURCE = Path.of(System.getProperty("basedir", ".")).resolve("docs/examples/TrainAndMeasure.java");
    static final String[] ARGS = {"--limit", "192", "--steps", "5", "--batch", "32"};
    static final Pattern MEASURE = Pattern.compile("(untrained|trained): uniformity (\\S+), tolerance (\\S+) \\((\\d+) test images\\)");
    static final Pattern STEP = Pattern.compile("step (\\d+)/5: loss (\\S+)");
    static final Pattern SHRINK = Pattern.compile("step 1/5: loss \\S+ \\| mean s positive (\\S+), negative (\\S+); dL/dc (\\S+) \\(falls as it shrinks for (\\d+) of (\\d+) rows\\)");

    @TempDir Path classes;

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test void theGuideExampleCompilesRunsAndMeasures() throws Exception {
        Method main = compile();
        String out = run(main, 2);

        Matcher before = find(MEASURE, out, "untrained"), after = find(MEASURE, out, "trained");
        assertEquals("untrained", before.group(1));
        assertEquals("trained", after.group(1));
        for (Matcher m : List.of(before, after)) {
            double uniformity = Double.parseDouble(m.group(2)), tolerance = Double.parseDouble(m.group(3));
            // unit vectors: ‖a−b‖² in [0,4], so −L_unif = −log E exp(−2‖a−b‖²) lies in [0, 8]; s in [−1, 1]
            assertTrue(uniformity >= 0 && uniformity <= 8, m.group(1) + " uniformity " + uniformity + " outside [0, 8]\n" + out);
            assertTrue(tolerance >= -1 && tolerance <= 1, m.group(1) + " tolerance " + tolerance + " outside [-1, 1]\n" + out);
            assertEquals("192", m.group(4), "test images kept by --limit\n" + out);
        }
        // an untrained network maps every image near one point; InfoNCE spreads them out
        double u0 = Double.parseDouble(before.group(2)), u1 = Double.parseDouble(after.group(2));
        double t0 = Double.parseDouble(before.group(3)), t1 = Double.parseDouble(after.group(3));
        assertTrue(u1 > u0, "training did not raise uniformity: " + u0 + " -> " + u1 + "\n" + out);
        assertTrue(t1 < t0, "training did not lower tolerance: " + t0 + " -> " + t1 + "\n" + out);

        Matcher steps = STEP.matcher(out);
        int count = 0;
        while (steps.find()) {
            count++;
            double loss = Double.parseDouble(steps.group(2));
            // InfoNCE over 2·32 views: a positive and 62 negatives per row, so log 63 ≈ 4.14 at chance
            assertTrue(Double.isFinite(loss) && loss > 0 && loss < 10, "step " + steps.group(1) + " loss " + loss + "\n" + out);
        }
        assertEquals(2, count, "it prints steps 1 and 5\n" + out);

        assertEquals(out, run(main, 1), "the same seed on 1 thread printed other numbers");

        // The hard loss from the same start: step 1 sees the same network and batch, so the same
        // similarities, but its own slope under shrinking (the collapse of docs/reproduction.md).
        String hard = run(main, 2, "--loss", "hard", "--k", "3");
        Matcher a = find(SHRINK, out), b = find(SHRINK, hard);
        for (Matcher m : List.of(a, b)) {
            for (int g = 1; g <= 2; g++) assertTrue(Math.abs(Double.parseDouble(m.group(g))) <= 1, "a similarity outside [-1, 1]: " + m.group());
            assertEquals("64", m.group(5), "rows of 2 x 32 views: " + m.group());
            int falls = Integer.parseInt(m.group(4));
            assertTrue(falls >= 0 && falls <= 64, m.group());
        }
        assertEquals(a.group(1) + " " + a.group(2), b.group(1) + " " + b.group(2), "step 1 of the two losses saw other similarities");
        assertNotEquals(a.group(3), b.group(3), "the hard loss (K 3) and InfoNCE responded alike to shrinking");
    }

    static Matcher find(Pattern p, String out) {
        Matcher m = p.matcher(out);
        return m.find() ? m : fail("no line matching " + p + " in:\n" + out);
    }

    // Compiles the example into `classes` against the classes under test; its main, loaded there.
    Method compile() throws Exception {
        assertTrue(Files.isRegularFile(SOURCE), SOURCE + " is missing");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler (a JRE instead of a JDK?)");
        String tauonClasses = Path.of(Datasets.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String classpath = tauonClasses + File.pathSeparator + System.getProperty("java.class.path");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", classpath, "-proc:none", "-Xlint:all,-try", "-Werror");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(SOURCE.toFile())).call();
            assertTrue(ok, "docs/examples/TrainAndMeasure.java does not compile:\n" + diagnostics.getDiagnostics());
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, GuideExampleTest.class.getClassLoader());
        return loader.loadClass("TrainAndMeasure").getMethod("main", String[].class);
    }

    static String run(Method main, int threads, String... extra) throws Exception {
        Parallel.setThreads(threads);
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            String[] args = java.util.Arrays.copyOf(ARGS, ARGS.length + extra.length);
            System.arraycopy(extra, 0, args, ARGS.length, extra.length);
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static Matcher find(Pattern p, String out, String label) {
        Matcher m = p.matcher(out);
        while (m.find()) if (m.group(1).equals(label)) return m;
        return fail("no '" + label + ": uniformity ..., tolerance ...' line in:\n" + out);
    }
}
