package dev.tauon.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.tauon.data.IdxFiles.*;
import static org.junit.jupiter.api.Assertions.*;

class IdxTest {
    @TempDir Path dir;

    @Test void roundTripsPlainAndGzipTellingThemApartByContentNotName() {
        byte[] raw = images(20, 7, 9);
        Path plainNamedGz = write(dir, "plain.gz", raw);
        Path gzipNamedPlain = write(dir, "packed", gzip(raw));
        for (Path f : new Path[] {plainNamedGz, gzipNamedPlain}) {
            Idx.Images im = Idx.readImages(f);
            assertEquals(20, im.count());
            assertEquals(7, im.rows());
            assertEquals(9, im.cols());
            assertEquals(20 * 63, im.pixels().length);
            for (int i = 0; i < 20; i++) {
                for (int p = 0; p < 63; p++) {
                    assertEquals(((i * 7 + p) & 0xFF) / 255f, im.pixels()[i * 63 + p], "image " + i + " pixel " + p);
                }
            }
        }
        assertEquals(195 / 255f, Idx.readImages(gzipNamedPlain).pixels()[19 * 63 + 62]);   // > 127: read unsigned
        int[] y = Idx.readLabels(write(dir, "labels.gz", gzip(labels(20))));
        for (int i = 0; i < 20; i++) assertEquals(i % 10, y[i]);
    }

    @Test void readsStreamsAsFilesAndNamesTheGivenSourceInErrors() {
        byte[] raw = images(5, 3, 4);
        Idx.Images fromFile = Idx.readImages(write(dir, "f", raw));
        Idx.Images fromStream = Idx.readImages(new java.io.ByteArrayInputStream(gzip(raw)), "classpath:x");
        assertArrayEquals(fromFile.pixels(), fromStream.pixels());
        assertEquals(5, fromStream.count());
        assertArrayEquals(Idx.readLabels(write(dir, "y", labels(5))), Idx.readLabels(new java.io.ByteArrayInputStream(labels(5)), "classpath:y"));
        String m = assertThrows(DataException.class, () -> Idx.readLabels(new java.io.ByteArrayInputStream(raw), "classpath:z")).getMessage();
        assertTrue(m.startsWith("classpath:z: wrong number of dimensions 3, expected 1"), m);
    }

    @Test void loadPairsImagesWithLabels() {
        Dataset d = Idx.load("tiny", write(dir, "x", images(12, 2, 3)), write(dir, "y", gzip(labels(12))), 10);
        assertEquals("tiny", d.name());
        assertEquals(12, d.n());
        assertEquals(1, d.c());
        assertEquals(2, d.h());
        assertEquals(3, d.w());
        assertEquals(10, d.classes());
        assertEquals(11 % 10, d.labels()[11]);
        assertEquals((11 * 7 + 5) / 255f, d.images()[11 * 6 + 5]);
    }

    @Test void wrongMagicShowsExpectedAndFound() {
        Path f = write(dir, "bad-magic", idx(0x12345678, new int[] {1, 1, 1}, new byte[1]));
        String m = failsOn(f, () -> Idx.readImages(f));
        assertTrue(m.contains("wrong magic number"), m);
        assertTrue(m.contains("expected 0x00000803"), m);
        assertTrue(m.contains("found 0x12345678"), m);
    }

    @Test void wrongElementTypeIsNamed() {
        Path f = write(dir, "floats", idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]));
        String m = failsOn(f, () -> Idx.readImages(f));
        assertTrue(m.contains("wrong element type 0x0D (float32)"), m);
        assertTrue(m.contains("found 0x00000D03"), m);
    }

    @Test void labelsFileGivenAsImagesIsAWrongNumberOfDimensions() {
        Path f = write(dir, "labels-not-images", labels(3));
        String m = failsOn(f, () -> Idx.readImages(f));
        assertTrue(m.contains("wrong number of dimensions 1, expected 3"), m);
        assertTrue(m.contains("expected 0x00000803") && m.contains("found 0x00000801"), m);
    }

    @Test void truncatedPayloadSaysHowManyBytesWereExpectedAndFound() {
        byte[] cut = Arrays.copyOf(images(2, 3, 3), 16 + 10);
        Path plain = write(dir, "cut", cut);
        String m = failsOn(plain, () -> Idx.readImages(plain));
        assertTrue(m.contains("truncated payload") && m.contains("need 18 bytes, found 10"), m);
        Path gz = write(dir, "cut.gz", gzip(cut));
        m = failsOn(gz, () -> Idx.readImages(gz));
        assertTrue(m.contains("truncated payload (after gunzip)") && m.contains("need 18 bytes, found 10"), m);
    }

    @Test void truncatedHeaderAndTrailingBytesAreReported() {
        Path shortHead = write(dir, "short-head", Arrays.copyOf(images(2, 3, 3), 10));
        String m = failsOn(shortHead, () -> Idx.readImages(shortHead));
        assertTrue(m.contains("truncated header: expected 16 bytes, found 10"), m);
        byte[] raw = labels(4);
        Path longer = write(dir, "longer", Arrays.copyOf(raw, raw.length + 3));
        m = failsOn(longer, () -> Idx.readLabels(longer));
        assertTrue(m.contains("3 unexpected bytes after the payload"), m);
        Path huge = write(dir, "huge", idx(Idx.IMAGES_MAGIC, new int[] {0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF}, new byte[8]));
        m = failsOn(huge, () -> Idx.readImages(huge));
        assertTrue(m.contains("more bytes than one array holds"), m);
    }

    @Test void emptyMissingAndDirectoryAreReported() {
        Path empty = write(dir, "empty", new byte[0]);
        assertTrue(failsOn(empty, () -> Idx.readImages(empty)).contains("empty file"));
        Path missing = dir.resolve("nowhere-idx3-ubyte.gz");
        assertTrue(failsOn(missing, () -> Idx.readImages(missing)).contains("no such file"));
        assertTrue(failsOn(dir, () -> Idx.readLabels(dir)).contains("is a directory"));
    }

    @Test void corruptGzipIsReported() {
        byte[] gz = gzip(images(50, 8, 8));
        Path f = write(dir, "half.gz", Arrays.copyOf(gz, gz.length / 2));
        String m = failsOn(f, () -> Idx.readImages(f));
        assertTrue(m.contains("gzip"), m);
        byte[] bad = gz.clone();
        bad[2] = 7;   // compression method: only 8 (deflate) exists
        Path g = write(dir, "bad-method.gz", bad);
        assertTrue(failsOn(g, () -> Idx.readImages(g)).contains("gzip"));
    }

    @Test void countsThatDisagreeNameBothFiles() {
        Path x = write(dir, "x-idx3", images(5, 2, 2)), y = write(dir, "y-idx1", labels(4));
        DataException e = assertThrows(DataException.class, () -> Idx.load("t", x, y, 10));
        String m = e.getMessage();
        assertTrue(m.contains(x.toString()) && m.contains(y.toString()), m);
        assertTrue(m.contains("5 images") && m.contains("4 labels"), m);
        assertFalse(m.contains("\n"));
    }

    @Test void labelOutsideTheClassesIsReported() {
        Path x = write(dir, "x", images(3, 2, 2));
        Path y = write(dir, "y", idx(Idx.LABELS_MAGIC, new int[] {3}, new byte[] {1, 12, 2}));
        String m = failsOn(y, () -> Idx.load("t", x, y, 10));
        assertTrue(m.contains("label 12 at index 1 is outside 0..9"), m);
    }

    // Asserts a one-line DataException that starts with the file's name; returns its message.
    private static String failsOn(Path file, Executable body) {
        String m = assertThrows(DataException.class, body).getMessage();
        assertTrue(m.startsWith(file + ": "), m);
        assertFalse(m.contains("\n"), m);
        return m;
    }
}
