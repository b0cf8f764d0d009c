package dev.tauon.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tauon.ReaderOutcome;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

// Fuzz targets for the file readers (Jazzer). `./tauon test` replays the committed inputs in
// src/test/resources/dev/tauon/data/ReadersFuzzTestInputs/<method>/; JAZZER_FUZZ=1 fuzzes
// (docs/reliability.md). A new reader gets one method like these: bytes in, ReaderOutcome.expect.
class ReadersFuzzTest {
    static final Path IDX = Path.of("fuzz.idx"), NPY = Path.of("fuzz.npy"), CIFAR = Path.of("fuzz.bin"), SAFETENSORS = Path.of("fuzz.safetensors");

    // Raw bytes, plain or gzip (the corpus holds both; the reader tells them apart by magic).
    @FuzzTest(maxDuration = "10m")
    void idx(byte[] bytes) throws Exception {
        long real = unpackedLength(bytes);
        ReaderOutcome.expect(IDX, real, () -> consistent(Idx.readImages(IDX, bytes)));
        ReaderOutcome.expect(IDX, real, () -> Idx.readLabels(IDX, bytes));
    }

    // The input gzipped first, so the fuzzer explores the IDX structure behind a valid gzip stream.
    @FuzzTest(maxDuration = "10m")
    void idxGzipped(byte[] bytes) throws Exception {
        byte[] gz = gzip(bytes);
        ReaderOutcome.expect(IDX, bytes.length + gz.length, () -> consistent(Idx.readImages(IDX, gz)));
        ReaderOutcome.expect(IDX, bytes.length + gz.length, () -> Idx.readLabels(IDX, gz));
    }

    @FuzzTest(maxDuration = "10m")
    void npy(byte[] bytes) throws Exception {
        ReaderOutcome.expect(NPY, bytes.length, () -> consistent(Npy.read(NPY, bytes)));
    }

    // One CIFAR-10 .bin file (records of 1 label + 3072 pixel bytes).
    @FuzzTest(maxDuration = "10m")
    void cifar10(byte[] bytes) throws Exception {
        ReaderOutcome.expect(CIFAR, bytes.length, () -> {
            Dataset d = Cifar10.read("fuzz", CIFAR, bytes);
            assertEquals(bytes.length / Cifar10.RECORD, d.n());
            for (int y : d.labels()) assertTrue(y >= 0 && y < Cifar10.CLASSES, "label " + y);
        });
    }

    @FuzzTest(maxDuration = "10m")
    void safetensors(byte[] bytes) throws Exception {
        ReaderOutcome.expect(SAFETENSORS, bytes.length, () -> consistent(SafeTensors.decode(bytes, SAFETENSORS.toString()), bytes.length));
    }

    // What a successful read promises: a shape of non-negative sizes whose product is the data.
    static void consistent(Idx.Images im) {
        assertTrue(im.count() >= 0 && im.rows() > 0 && im.cols() > 0, "shape " + im.count() + "x" + im.rows() + "x" + im.cols());
        assertEquals((long) im.count() * im.rows() * im.cols(), im.pixels().length);
    }

    static void consistent(Npy.Array a) {
        long size = 1;
        for (int d : a.shape()) {
            assertTrue(d >= 0, "negative dimension in " + java.util.Arrays.toString(a.shape()));
            size = Math.multiplyExact(size, d);   // a product that overflows is no consistent shape
        }
        assertEquals(size, a.size(), "shape " + java.util.Arrays.toString(a.shape()));
    }

    // Tensors whose shapes match their values, named once each, whose bytes fit the file.
    static void consistent(SafeTensors.Contents c, int fileBytes) {
        java.util.Set<String> names = new java.util.HashSet<>();
        long floats = 0;
        for (SafeTensors.Entry e : c.tensors()) {
            assertTrue(names.add(e.name()), "tensor " + e.name() + " twice");
            long size = 1;
            for (int d : e.shape()) size = Math.multiplyExact(size, d);
            assertEquals(size, e.data().length, e.name());
            floats += e.data().length;
        }
        assertTrue(8 + 4 * floats <= fileBytes, floats + " floats from " + fileBytes + " bytes");
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) { gz.write(b); }
        return out.toByteArray();
    }

    // What a gzip input unpacks to (as far as it is valid), else its own length.
    static long unpackedLength(byte[] b) {
        if (b.length < 2 || (b[0] & 0xFF) != 0x1f || (b[1] & 0xFF) != 0x8b) return b.length;
        long n = 0;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
            byte[] buf = new byte[8192];
            for (int r; (r = in.read(buf)) > 0; ) n += r;
        } catch (IOException e) {
            // a corrupt stream: count what came out before the damage
        }
        return Math.max(n, b.length);
    }
}
