package dev.tauon.cli;

import dev.tauon.data.Idx;
import dev.tauon.data.IdxFiles;
import dev.tauon.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

// Errors that say why: each bad input gives exit status 2 and one line naming the input (file,
// row, column or flag) and the reason, never a stack trace; --json output is JSON alone.
class MessagesCliTest {
    @TempDir Path dir;

    // exit 2 and a single line on stderr that contains every part
    static void fails(CliTest.Result r, String... parts) {
        assertEquals(2, r.code(), "out=[" + r.out() + "] err=[" + r.err() + "]");
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "more than one line:\n" + err);
        for (String p : parts) assertTrue(err.contains(p), "'" + p + "' missing from: " + err);
    }

    Path npy(String name, float[] v, int... shape) throws IOException {
        Path f = dir.resolve(name);
        Npy.write(f, v, shape);
        return f;
    }

    @Test void lossNamesTheFileRowAndColumnOfANonFiniteValue() throws IOException {
        Path good = npy("good.npy", new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        Path nan = npy("nan.npy", new float[] {1, 0, Float.NaN, 1, 1, 1}, 3, 2);
        Path inf = npy("inf.npy", new float[] {1, 0, 0, 1, 1, Float.NEGATIVE_INFINITY}, 3, 2);
        fails(CliTest.run("loss", "--z1", good.toString(), "--z2", nan.toString()), nan.toString(), "row 1, column 0", "NaN");
        fails(CliTest.run("loss", "--z1", inf.toString(), "--z2", good.toString()), inf.toString(), "row 2, column 1", "-Infinity");
    }

    @Test void lossReportsARowThatCannotBeNormalised() throws IOException {
        Path good = npy("good.npy", new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        Path zero = npy("zero.npy", new float[] {1, 0, 0, 1, 0, 0}, 3, 2);
        fails(CliTest.run("loss", "--z1", good.toString(), "--z2", zero.toString()), zero.toString(), "row 2", "all zeros", "normalised");
    }

    // --out is checked first: these inputs hold a NaN, and the error is still about --out
    @Test void lossChecksTheOutputFolderBeforeAnyWork() throws IOException {
        Path nan = npy("nan.npy", new float[] {1, 0, Float.NaN, 1}, 2, 2);
        Path file = Files.writeString(dir.resolve("taken"), "x");
        fails(CliTest.run("loss", "--z1", nan.toString(), "--z2", nan.toString(), "--out", file.toString()), "--out", file.toString(), "is a file");
        Path locked = unwritable();
        fails(CliTest.run("loss", "--z1", nan.toString(), "--z2", nan.toString(), "--out", locked.resolve("out").toString()),
                "--out", "permission denied");
        fails(CliTest.run("loss", "--z1", nan.toString(), "--z2", nan.toString(), "--out", locked.toString()), "--out", "permission denied");
    }

    // A folder this process cannot write in: a read-only one, or for root (whom permissions do
    // not stop) /sys, where even root may create nothing.
    Path unwritable() throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            Path locked = Files.createDirectory(dir.resolve("locked"));
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
            return locked;
        }
        Path sys = Path.of("/sys");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sys), "running as root without /sys: no folder root cannot write");
        return sys;
    }

    @Test void badNpyHeadersNameTheFileAndTheReason() throws IOException {
        Path good = npy("good.npy", new float[] {1, 0, 0, 1}, 2, 2);
        byte[] bytes = Files.readAllBytes(good);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Path neg = Files.write(dir.resolve("neg.npy"), text.replace("(2, 2)", "(-2, 2)").getBytes(StandardCharsets.ISO_8859_1));
        Path half = Files.write(dir.resolve("half.npy"), text.replace("<f4", "<f2").getBytes(StandardCharsets.ISO_8859_1));
        fails(CliTest.run("loss", "--z1", good.toString(), "--z2", neg.toString()), neg.toString(), "negative dimension -2");
        fails(CliTest.run("loss", "--z1", half.toString(), "--z2", good.toString()), half.toString(), "<f2", "float16", "not supported");
    }

    @Test void supervisedNamesABadFlag() {
        fails(CliTest.run("supervised", "--limit", "-1"), "--limit", "-1");
        fails(CliTest.run("supervised", "--limit", "0"), "--limit");
        fails(CliTest.run("supervised", "--epochs", "0"), "--epochs");
        fails(CliTest.run("supervised", "--batch", "1"), "--batch");
        fails(CliTest.run("supervised", "--lr", "NaN"), "--lr");
    }

    // Every numeric flag of every benchmark, out of range: the flag is named with the value.
    @Test void everyBenchFlagOutOfRangeIsNamed() {
        String[][] cases = {
                {"gemm", "--sizes", "0"}, {"gemm", "--sizes", "16385"}, {"gemm", "--seconds", "0"}, {"gemm", "--seconds", "Infinity"},
                {"gemm", "--seconds", "NaN"}, {"gemm", "--threads", "0"},
                {"step", "--batch", "1"}, {"step", "--views", "3"}, {"step", "--channels", "0"}, {"step", "--size", "11"},
                {"step", "--steps", "0"}, {"step", "--steps", "2000000000"}, {"step", "--warmup", "-1"},
                {"step", "--warmup-seconds", "-1"}, {"step", "--warmup-seconds", "Infinity"}, {"step", "--tau", "0"},
                {"bank", "--batch", "0"}, {"bank", "--bank", "1"}, {"bank", "--dim", "0"}, {"bank", "--k", "0"},
                {"bank", "--tau", "-1"}, {"bank", "--steps", "0"}, {"bank", "--steps", "2000000000"}, {"bank", "--batch", "70000"},
                {"knn", "--queries", "0"}, {"knn", "--bank", "0"}, {"knn", "--dim", "0"}, {"knn", "--k", "0"},
                {"knn", "--k", "70000"}, {"knn", "--classes", "0"}};
        for (String[] c : cases) fails(CliTest.run("bench", c[0], c[1], c[2]), c[1], c[2]);
    }

    // stdout is the JSON object alone, so `tauon supervised --json | jq` works
    @Test void supervisedJsonIsTheOnlyThingOnStdout() throws IOException {
        Path data = Files.createDirectory(dir.resolve("mnist"));
        byte[] px = new byte[48 * 28 * 28], labels = new byte[48];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 31);
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) (i % 10);
        for (String split : new String[] {"train", "t10k"}) {
            IdxFiles.write(data, split + "-images-idx3-ubyte", IdxFiles.idx(Idx.IMAGES_MAGIC, new int[] {48, 28, 28}, px));
            IdxFiles.write(data, split + "-labels-idx1-ubyte", IdxFiles.idx(Idx.LABELS_MAGIC, new int[] {48}, labels));
        }
        CliTest.Result r = CliTest.run("supervised", "--dataset", "mnist", "--data", data.toString(), "--epochs", "1", "--batch", "16", "--json", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().matches("\\{\"command\":\"supervised\",[^\\n]*}"), "stdout: " + r.out());
        assertTrue(r.err().contains("test accuracy"), "the report goes to stderr: " + r.err());
    }
}
