package dev.tauon.cli;

import dev.tauon.ForkedJvm;
import dev.tauon.data.Npy;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// Work that cannot fit is refused before it starts, with the size it needs and how to give Java
// more; an OutOfMemoryError that gets through anyway is one line, never a stack trace.
class MemoryCliTest {
    @TempDir Path dir;

    // In a JVM with a 96 MiB heap: the loss over 2,000 rows needs three 4000×4000 float matrices
    // (~190 MB) and is refused up front; 200 rows fit and run.
    @Test void lossTooLargeForTheHeapIsRefusedWithTheSizeAndTheAdvice() throws Exception {
        Path a = embeddings("a.npy", 2000, 8), b = embeddings("b.npy", 2000, 8);
        ForkedJvm.Result r = ForkedJvm.exec(Main.class, List.of("-Xmx96m"), "loss", "--z1", a.toString(), "--z2", b.toString(), "--threads", "1");
        assertEquals(2, r.code(), r.err());
        String err = r.err().lines().filter(l -> !l.startsWith("WARNING")).reduce("", (x, y) -> x + y + "\n").strip();
        assertFalse(err.contains("\n") || err.contains("\tat "), "one line, no stack trace:\n" + r.err());
        assertTrue(err.matches("tauon loss: error: the loss over 2000 rows needs about 0\\.2 GiB of memory, more than the 0\\.\\d GiB free .*"), err);
        assertTrue(err.contains("TAUON_JAVA_OPTS=-Xmx"), err);
        Path c = embeddings("c.npy", 200, 8), d = embeddings("d.npy", 200, 8);
        ForkedJvm.Result ok = ForkedJvm.exec(Main.class, List.of("-Xmx96m"), "loss", "--z1", c.toString(), "--z2", d.toString(), "--threads", "1");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("infonce over 200 pairs"), ok.out());
    }

    @Test void theEstimateCountsThreeSimilarityMatrices() {
        assertEquals(4L * (3 * 4000 * 4000 + 8 * 2000 * 8), LossCommand.bytesNeeded(2000, 8));
        assertTrue(LossCommand.bytesNeeded(20_000, 128) > 19e9, "20,000 rows need more than 19 GB");
    }

    @Command(name = "hog") static final class Hog implements Runnable {
        @Override public void run() { long[] never = new long[Integer.MAX_VALUE - 8]; never[0] = 1; }
    }

    @Command(name = "wrapped") static final class Wrapped implements Runnable {
        @Override public void run() { throw new RuntimeException("a worker failed", new OutOfMemoryError("Java heap space")); }
    }

    // A real OutOfMemoryError (an array larger than the heap) and one wrapped by a worker thread.
    @Test void outOfMemoryIsOneLineWithTheAdvice() {
        for (Runnable cmd : new Runnable[] {new Hog(), new Wrapped()}) {
            CommandLine cl = Main.commandLine().addSubcommand(cmd);
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            String name = cmd.getClass().getAnnotation(Command.class).name();
            assertEquals(Main.OUT_OF_MEMORY, Main.execute(cl, name));
            String line = err.toString().strip();
            assertFalse(line.contains("\n"), line);
            assertTrue(line.matches("tauon( " + name + ")?: error: out of memory \\(Java's heap is [0-9.]+ GiB\\); .*TAUON_JAVA_OPTS=-Xmx\\d+g.*"), line);
        }
    }

    Path embeddings(String name, int n, int d) throws Exception {
        float[] v = new float[n * d];
        Rng.seeded(n).fillNormal(v, 0, v.length, 0, 1);
        Path f = dir.resolve(name);
        Npy.write(f, v, n, d);
        return f;
    }
}
