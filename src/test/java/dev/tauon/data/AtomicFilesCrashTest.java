package dev.tauon.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// A process killed (SIGKILL) while it rewrites a file in a loop leaves one whole version of the
// file, never a mix or a truncation. (A power cut is what the fsyncs are for; a test cannot cut one.)
class AtomicFilesCrashTest {
    @TempDir Path dir;

    // Version i: i as 4 big-endian bytes, then (byte) i repeated to 1 MiB + (i % 7) * 1000 bytes.
    static byte[] version(int i) {
        byte[] b = new byte[(1 << 20) + (i % 7) * 1000];
        Arrays.fill(b, (byte) i);
        java.nio.ByteBuffer.wrap(b).putInt(i);
        return b;
    }

    public static void main(String[] args) throws IOException {
        Path f = Path.of(args[0]);
        for (int i = 0; ; i++) {
            AtomicFiles.write(f, version(i));
            if (i == 0) System.out.println("ready");
            System.out.flush();
        }
    }

    @Test void aKilledWriterLeavesAWholeVersion() throws Exception {
        Path f = dir.resolve("state.bin");
        for (int sleepMs : new int[] {20, 120, 400}) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AtomicFilesCrashTest.class.getName(), f.toString()));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                assertEquals("ready", out.readLine());
                Thread.sleep(sleepMs);
                p.destroyForcibly().waitFor();
            }
            byte[] b = Files.readAllBytes(f);
            assertTrue(b.length >= 4);
            assertArrayEquals(version(java.nio.ByteBuffer.wrap(b).getInt()), b, "after a kill at " + sleepMs + " ms");
        }
    }
}
