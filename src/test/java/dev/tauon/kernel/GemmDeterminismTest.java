package dev.tauon.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// The same GEMM bits in JVMs that differ in what could plausibly change them: 8-lane vectors
// (-XX:MaxVectorSize=32, on 3 threads) and the scalar fallback (-Dtauon.simd=false); the
// parent uses the preferred width and the default pool.
class GemmDeterminismTest {
    static final String PARENT_HASH = "hash=" + Long.toHexString(GemmDeterminismMain.hash());

    @Test void eightLaneVectorsGiveTheSameBits() throws Exception {
        String out = child("-XX:MaxVectorSize=32", "3");
        if (Simd.ENABLED) assertTrue(out.contains("simd=true lanes=8"), out);
        assertTrue(out.endsWith(PARENT_HASH), "parent " + PARENT_HASH + ", child " + out);
    }

    @Test void scalarFallbackGivesTheSameBits() throws Exception {
        String out = child("-Dtauon.simd=false", "2");
        assertTrue(out.contains("simd=false"), out);
        assertTrue(out.endsWith(PARENT_HASH), "parent " + PARENT_HASH + ", child " + out);
    }

    // Runs GemmDeterminismMain in a fresh JVM with the test JVM's flags plus `flag`; returns
    // its last output line.
    static String child(String flag, String threads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("tauon.test.jvmFlags", "").trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        cmd.addAll(List.of(flag, "-cp", System.getProperty("java.class.path"), GemmDeterminismMain.class.getName(), threads));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), "child JVM failed: " + out);
        String[] lines = out.split("\\R");
        return lines[lines.length - 1];
    }
}
