package dev.tauon;

import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.Simd;
import dev.tauon.nn.TrainingFingerprint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

// The reproducibility promise, one fingerprint at a time: the same bits for 1, 2, 3 and 8
// threads, for narrower vectors (a JVM started with -XX:MaxVectorSize, which must really run
// fewer lanes than this one, or the case is skipped with the reason) and on the scalar twins.
// The narrower width is -Dtauon.test.vectorsize=BITS (128, 256 or 512; default 256), as Lucene's
// tests.vectorsize. Each kind of child JVM starts once and computes every fingerprint.
class DeterminismTest {
    static final String VECTOR_BITS = System.getProperty("tauon.test.vectorsize", "256");

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @ParameterizedTest(name = "{0}") @EnumSource(Fingerprint.class)
    void sameBitsForAnyThreadCount(Fingerprint f) {
        Parallel.setThreads(1);
        List<String> one = f.lines.get();
        for (int threads : new int[] {2, 3, 8}) {
            Parallel.setThreads(threads);
            assertEquals(one, f.lines.get(), f + " on " + threads + " threads");
        }
    }

    @ParameterizedTest(name = "{0}") @EnumSource(Fingerprint.class)
    void sameBitsForNarrowerVectors(Fingerprint f) throws Exception {
        int bits = Integer.parseInt(VECTOR_BITS);
        assertTrue(bits == 128 || bits == 256 || bits == 512, "tauon.test.vectorsize must be 128, 256 or 512, got " + bits);
        Assumptions.assumeTrue(Simd.ENABLED, "SIMD is off in this JVM (" + Simd.REASON + "): no vector width to narrow");
        Child c = child("-XX:MaxVectorSize=" + bits / 8, "3");
        Assumptions.assumeTrue(c.lanes < Simd.LANES, "this JVM's preferred vectors have " + Simd.LANES
                + " float lanes and the child's with -XX:MaxVectorSize=" + bits / 8 + " have " + c.lanes + ": nothing narrower to compare on this machine");
        assertEquals(bits / 32, c.lanes, "the child did not run the pinned width");
        assertEquals(here(f), c.lines.get(f), f + " at " + c.lanes + " lanes against " + Simd.LANES);
    }

    static List<Fingerprint> onScalarTwins() { return Arrays.stream(Fingerprint.values()).filter(f -> f.onScalarTwins).toList(); }

    @ParameterizedTest(name = "{0}") @MethodSource("onScalarTwins")
    void sameBitsOnTheScalarTwins(Fingerprint f) throws Exception {
        Child c = child("-Dtauon.simd=false", "2");
        assertFalse(c.simd, "the child still ran the Vector API kernels");
        assertEquals(here(f), c.lines.get(f), f + " on the scalar twins");
    }

    // The bits themselves, recorded (issue 19): a kernel change that alters any result fails here
    // even when it alters it the same way for every thread count, width and twin. The kernels use
    // StrictMath and their own fma polynomials, so the lines are the same on any x86 or ARM JVM.
    // After a deliberate change of the bits: mvn test -Dtest=DeterminismTest -Dtauon.fingerprints.record=true
    static final java.nio.file.Path RECORDED = java.nio.file.Path.of("src/test/resources/dev/tauon/fingerprints.txt");

    @ParameterizedTest(name = "{0}") @EnumSource(Fingerprint.class)
    void sameBitsAsRecorded(Fingerprint f) throws Exception {
        if (Boolean.getBoolean("tauon.fingerprints.record")) record(f);
        Map<Fingerprint, List<String>> recorded = recorded();
        assertTrue(recorded.containsKey(f), f + " is not in " + RECORDED + " (record it, see above)");
        assertEquals(recorded.get(f), here(f), f + " differs from the bits recorded in " + RECORDED);
    }

    static synchronized Map<Fingerprint, List<String>> recorded() throws java.io.IOException {
        Map<Fingerprint, List<String>> by = new EnumMap<>(Fingerprint.class);
        List<String> current = null;
        for (String line : java.nio.file.Files.readAllLines(RECORDED)) {
            if (line.startsWith("#!")) continue;
            if (line.startsWith("## ")) by.put(Fingerprint.valueOf(line.substring(3)), current = new ArrayList<>());
            else current.add(line);
        }
        return by;
    }

    static synchronized void record(Fingerprint f) throws java.io.IOException {
        Map<Fingerprint, List<String>> by = java.nio.file.Files.exists(RECORDED) ? recorded() : new EnumMap<>(Fingerprint.class);
        by.put(f, here(f));
        List<String> out = new ArrayList<>(List.of("#! The bits of DeterminismTest's fingerprints (hashes of raw results), checked by sameBitsAsRecorded."));
        by.forEach((k, v) -> { out.add("## " + k); out.addAll(v); });
        java.nio.file.Files.write(RECORDED, out);
    }

    // Honest hashes: a different computation gives different lines.
    @Test void fingerprintsSeeADifferentComputation() {
        String a = TrainingFingerprint.run("small", 1), b = TrainingFingerprint.run("small", 2);
        assertNotEquals(a.substring(a.indexOf("state=")), b.substring(b.indexOf("state=")));
    }

    record Child(int lanes, boolean simd, Map<Fingerprint, List<String>> lines) {}

    private static final Map<String, Child> CHILDREN = new java.util.HashMap<>();
    private static final Map<Fingerprint, List<String>> HERE = new EnumMap<>(Fingerprint.class);

    // This JVM's lines at the default pool size, computed once.
    static synchronized List<String> here(Fingerprint f) {
        return HERE.computeIfAbsent(f, k -> k.lines.get());
    }

    // One child JVM per flag, computing every fingerprint; parsed into lanes, SIMD and lines.
    static synchronized Child child(String flag, String threads) throws Exception {
        Child known = CHILDREN.get(flag);
        if (known != null) return known;
        List<String> args = new ArrayList<>(List.of(threads));
        for (Fingerprint f : Fingerprint.values()) if (f.onScalarTwins || !flag.contains("simd")) args.add(f.name());
        String out = ForkedJvm.run(Fingerprint.class, List.of(flag), args.toArray(String[]::new));
        List<String> lines = Arrays.asList(out.split("\\R"));
        String head = lines.getFirst();
        assertTrue(head.matches("lanes=\\d+ simd=(true|false)"), "child printed: " + head);
        Map<Fingerprint, List<String>> by = new EnumMap<>(Fingerprint.class);
        List<String> current = null;
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("## ")) by.put(Fingerprint.valueOf(line.substring(3)), current = new ArrayList<>());
            else current.add(line);
        }
        Child c = new Child(Integer.parseInt(head.substring(6, head.indexOf(' '))), head.endsWith("true"), by);
        CHILDREN.put(flag, c);
        return c;
    }
}
