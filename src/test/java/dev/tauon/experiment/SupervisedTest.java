package dev.tauon.experiment;

import dev.tauon.cli.Main;
import dev.tauon.data.Dataset;
import dev.tauon.data.Idx;
import dev.tauon.data.IdxFiles;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// End to end on a synthetic, flip-invariant task: class y lights up band y of four horizontal
// bands of a noisy 28×28 image. The trainer must learn it, reproducibly, and the command must
// read IDX files from --data and report JSON.
class SupervisedTest {
    static final int CLASSES = 4;

    // n images, label i mod 4, pixel values in [0, 255]
    static byte[][] bands(int n, long seed) {
        byte[] px = new byte[n * 784], y = new byte[n];
        Rng rng = Rng.seeded(seed);
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % CLASSES);
            for (int p = 0; p < 784; p++) {
                boolean lit = (p / 28) / 7 == y[i];
                px[i * 784 + p] = (byte) Math.min(255, (lit ? 150 : 20) + (int) (80 * rng.uniform((long) i * 784 + p)));
            }
        }
        return new byte[][] {px, y};
    }

    static Dataset dataset(int n, long seed) {
        byte[][] b = bands(n, seed);
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (b[0][i] & 0xff) / 255f;
        for (int i = 0; i < n; i++) y[i] = b[1][i];
        return new Dataset("bands", x, y, n, 1, 28, 28, CLASSES);
    }

    static final Supervised.Listener QUIET = new Supervised.Listener() {
        @Override public void batchDone(int epoch, int batch, int batches, float loss) {}
        @Override public void epochDone(Supervised.EpochResult r) {}
    };

    @Test void learnsASeparableTaskAndIsReproducible() {
        Dataset train = dataset(192, 1), test = dataset(64, 2);
        var cfg = new Supervised.Config(2, 32, 0.05, 5e-4, 7, true);
        List<Float> losses = new ArrayList<>();
        var listener = new Supervised.Listener() {
            @Override public void batchDone(int epoch, int batch, int batches, float loss) { losses.add(loss); }
            @Override public void epochDone(Supervised.EpochResult r) {}
        };
        var r = Supervised.run(cfg, train, test, listener);
        assertTrue(r.testAccuracy() >= 0.95, "test accuracy " + r.testAccuracy());
        assertTrue(losses.getLast() < losses.getFirst(), "loss " + losses.getFirst() + " -> " + losses.getLast());
        var again = Supervised.run(cfg, train, test, QUIET);
        assertEquals(r.epochs().getLast().trainLoss(), again.epochs().getLast().trainLoss(), "same seed, same bits");
        var other = Supervised.run(new Supervised.Config(2, 32, 0.05, 5e-4, 8, true), train, test, QUIET);
        assertNotEquals(r.epochs().getLast().trainLoss(), other.epochs().getLast().trainLoss(), "the seed matters");
    }

    @Test void commandReadsIdxFilesAndPrintsJson(@TempDir Path dir) {
        byte[][] train = bands(128, 3), test = bands(40, 4);
        IdxFiles.write(dir, "train-images-idx3-ubyte", IdxFiles.idx(Idx.IMAGES_MAGIC, new int[] {128, 28, 28}, train[0]));
        IdxFiles.write(dir, "train-labels-idx1-ubyte", IdxFiles.idx(Idx.LABELS_MAGIC, new int[] {128}, train[1]));
        IdxFiles.write(dir, "t10k-images-idx3-ubyte", IdxFiles.idx(Idx.IMAGES_MAGIC, new int[] {40, 28, 28}, test[0]));
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte", IdxFiles.idx(Idx.LABELS_MAGIC, new int[] {40}, test[1]));
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("supervised", "--dataset", "mnist", "--data", dir.toString(), "--epochs", "1", "--batch", "32", "--json");
        assertEquals(0, code, err.toString());
        String last = out.toString().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("\\{\"command\":\"supervised\".*\"test_accuracy\":[0-9.E-]+.*}"), last);

        assertNotEquals(0, cl.execute("supervised", "--data", dir.resolve("missing").toString()));
        assertTrue(err.toString().contains("missing"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
    }
}
