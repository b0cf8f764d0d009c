package dev.tauon.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.tauon.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.*;

// Small CIFAR-10 binary files written here; the real ones are never needed.
class Cifar10Test {
    @TempDir Path dir;

    // count records; record r of file k has label (k + r) % 10 and pixel byte j = (31r + 7j + k) mod 256.
    static byte[] records(int k, int count) {
        byte[] b = new byte[count * Cifar10.RECORD];
        for (int r = 0; r < count; r++) {
            b[r * Cifar10.RECORD] = (byte) ((k + r) % 10);
            for (int j = 0; j < 3072; j++) b[r * Cifar10.RECORD + 1 + j] = (byte) (31 * r + 7 * j + k);
        }
        return b;
    }

    static void writeAll(Path d, int[] counts) {
        for (int k = 0; k < 5; k++) write(d, "data_batch_" + (k + 1) + ".bin", records(k, counts[k]));
        write(d, "test_batch.bin", records(5, counts[5]));
    }

    @Test void readsRecordsAsPlanesOfUnsignedBytesOver255InFileOrder() {
        int[] counts = {3, 2, 1, 1, 2, 2};
        writeAll(dir, counts);
        Datasets.Split s = Datasets.load("cifar10", dir);
        Dataset train = s.train(), test = s.test();
        assertEquals("cifar10/train", train.name());
        assertEquals("cifar10/test", test.name());
        assertEquals(9, train.n());
        assertEquals(2, test.n());
        assertEquals(3, train.c());
        assertEquals(32, train.h());
        assertEquals(32, train.w());
        assertEquals(10, train.classes());
        int i = 0;
        for (int k = 0; k < 5; k++) {
            for (int r = 0; r < counts[k]; r++, i++) {
                assertEquals((k + r) % 10, train.labels()[i], "file " + k + " record " + r);
                for (int j = 0; j < 3072; j++) {
                    assertEquals(((31 * r + 7 * j + k) & 0xFF) / 255f, train.images()[i * 3072 + j], "file " + k + " record " + r + " byte " + j);
                }
            }
        }
        // channel layout: (ch, y, x) is byte 1 + 1024ch + 32y + x of the record
        int ch = 2, y = 5, x = 30, j = 1024 * ch + 32 * y + x;
        assertEquals(((31 + 7 * j + 5) & 0xFF) / 255f, test.images()[3072 + ch * 1024 + y * 32 + x]);
        float max = 0;
        for (float v : train.images()) max = Math.max(max, v);
        assertEquals(1f, max, "byte 255 reads as 1, not negative");
    }

    @Test void findsTheFilesInTheArchivesFolderToo() throws Exception {
        writeAll(Files.createDirectory(dir.resolve("cifar-10-batches-bin")), new int[] {1, 1, 1, 1, 1, 1});
        assertEquals(5, Cifar10.load(dir).train().n());
    }

    @Test void missingFilesAreNamedWithWhatToPass() {
        String none = assertThrows(DataException.class, () -> Datasets.load("cifar10", null)).getMessage();
        assertTrue(none.contains("--data DIR") && none.contains("data_batch_1.bin") && none.contains("test_batch.bin"), none);
        write(dir, "data_batch_1.bin", records(0, 1));
        write(dir, "data_batch_2.bin", records(1, 1));
        write(dir, "data_batch_4.bin", records(3, 1));
        write(dir, "data_batch_5.bin", records(4, 1));
        String m = assertThrows(DataException.class, () -> Cifar10.load(dir)).getMessage();
        assertTrue(m.contains("looked in " + dir + " (from --data), which lacks data_batch_3.bin, test_batch.bin;"), m);
        assertTrue(m.contains("--data DIR"), m);
        String notDir = assertThrows(DataException.class, () -> Cifar10.load(dir.resolve("data_batch_1.bin"))).getMessage();
        assertTrue(notDir.contains("not a directory"), notDir);
    }

    @Test void aSizeThatIsNotWholeRecordsIsAnErrorNamingTheFile() {
        byte[] b = records(0, 2);
        Path f = write(dir, "short.bin", java.util.Arrays.copyOf(b, b.length - 5));
        String m = assertThrows(DataException.class, () -> Cifar10.read("x", List.of(f))).getMessage();
        assertTrue(m.startsWith(f + ": size 6141 bytes is not a multiple of the 3073-byte record"), m);
        assertTrue(m.contains("1 whole records and 3068 bytes over"), m);
        Path empty = write(dir, "empty.bin", new byte[0]);
        assertTrue(assertThrows(DataException.class, () -> Cifar10.read("x", List.of(empty))).getMessage().startsWith(empty + ": empty file"));
        Path none = dir.resolve("absent.bin");
        assertEquals(none + ": no such file", assertThrows(DataException.class, () -> Cifar10.read("x", List.of(none))).getMessage());
    }

    @Test void aLabelAbove9IsAnErrorNamingTheFileAndRecord() {
        byte[] b = records(0, 3);
        b[2 * Cifar10.RECORD] = 10;
        Path f = write(dir, "bad.bin", b);
        String m = assertThrows(DataException.class, () -> Cifar10.read("x", List.of(write(dir, "ok.bin", records(0, 1)), f))).getMessage();
        assertTrue(m.startsWith(f + ": record 2 (byte offset 6146) has label 10, outside 0..9"), m);
        b[2 * Cifar10.RECORD] = (byte) 200;
        write(dir, "bad.bin", b);
        assertTrue(assertThrows(DataException.class, () -> Cifar10.read("x", List.of(f))).getMessage().contains("label 200"));
    }
}
