package dev.tauon.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

// Reader for the CIFAR-10 binary version (cifar-10-batches-bin): each record is 1 label byte
// and 3072 pixel bytes (1024 R, 1024 G, 1024 B, each plane 32x32 row-major), so a record is one
// (3,32,32) image as is. Pixels are byte / 255f, in [0, 1], as Idx scales them.
public final class Cifar10 {
    public static final int CLASSES = 10, C = 3, H = 32, W = 32;
    public static final int RECORD = 1 + C * H * W;   // 3073 bytes
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    static final String SUBDIR = "cifar-10-batches-bin";   // what the archive unpacks into
    private static final int RECORDS_PER_READ = 256;

    private Cifar10() {}

    // dataDir: the --data argument (the folder holding the .bin files, or the folder above it
    // that holds cifar-10-batches-bin/).
    public static Datasets.Split load(Path dataDir) {
        String how = "pass --data DIR containing the CIFAR-10 binary version (" + String.join(", ", TRAIN_FILES) + ", " + TEST_FILE
                + "; unpacked from cifar-10-binary.tar.gz at https://www.cs.toronto.edu/~kriz/cifar.html)";
        if (dataDir == null) throw new DataException("CIFAR-10 has no default location; " + how);
        if (!Files.isDirectory(dataDir)) {
            throw new DataException("CIFAR-10 not found: looked in " + dataDir + " (from --data), which is not a directory; " + how);
        }
        Path dir = dataDir;
        if (missing(dir).size() == TRAIN_FILES.size() + 1 && Files.isDirectory(dir.resolve(SUBDIR))) dir = dir.resolve(SUBDIR);
        List<String> missing = missing(dir);
        if (!missing.isEmpty()) {
            throw new DataException("CIFAR-10 not found: looked in " + dir + " (from --data), which lacks " + String.join(", ", missing) + "; " + how);
        }
        List<Path> train = new ArrayList<>();
        for (String f : TRAIN_FILES) train.add(dir.resolve(f));
        return new Datasets.Split(read("cifar10/train", train), read("cifar10/test", List.of(dir.resolve(TEST_FILE))));
    }

    // The records of the given files, in order, as one dataset (N,3,32,32).
    public static Dataset read(String name, List<Path> files) {
        long[] counts = new long[files.size()];
        long total = 0;
        for (int k = 0; k < files.size(); k++) {
            counts[k] = records(files.get(k));
            total += counts[k];
        }
        if (total * (RECORD - 1) > Integer.MAX_VALUE - 8) {
            throw new DataException(files + ": " + total + " records make more pixels than one array holds");
        }
        int n = (int) total;
        float[] images = new float[n * (RECORD - 1)];
        int[] labels = new int[n];
        int at = 0;
        for (int k = 0; k < files.size(); k++) {
            readInto(files.get(k), (int) counts[k], images, labels, at);
            at += (int) counts[k];
        }
        return new Dataset(name, images, labels, n, C, H, W, CLASSES);
    }

    // One file already in memory, as read() would read it (the fuzz tests; the Path names it).
    static Dataset read(String name, Path file, byte[] bytes) {
        int n = (int) records(file, bytes.length);
        float[] images = new float[n * (RECORD - 1)];
        int[] labels = new int[n];
        decode(file, bytes, 0, n, images, labels, 0);
        return new Dataset(name, images, labels, n, C, H, W, CLASSES);
    }

    // Records in a file, from its size: the size must be a positive multiple of 3073.
    private static long records(Path file) {
        long size;
        try {
            if (Files.isDirectory(file)) throw new DataException(file + ": is a directory, expected a CIFAR-10 .bin file");
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e + ")", e);
        }
        return records(file, size);
    }

    private static long records(Path file, long size) {
        if (size == 0) throw new DataException(file + ": empty file, expected records of " + RECORD + " bytes");
        if (size % RECORD != 0) {
            throw new DataException(file + ": size " + size + " bytes is not a multiple of the " + RECORD
                    + "-byte record (1 label + 3072 pixels); " + size / RECORD + " whole records and " + size % RECORD + " bytes over");
        }
        return size / RECORD;
    }

    // images[(at + r) * 3072 ..) and labels[at + r] for the count records of file.
    private static void readInto(Path file, int count, float[] images, int[] labels, int at) {
        byte[] buf = new byte[RECORDS_PER_READ * RECORD];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r0 = 0; r0 < count; r0 += RECORDS_PER_READ) {
                int m = Math.min(RECORDS_PER_READ, count - r0);
                int got = in.readNBytes(buf, 0, m * RECORD);
                if (got < m * RECORD) {
                    throw new DataException(file + ": truncated while reading record " + (r0 + got / RECORD) + " of " + count + " (the file shrank?)");
                }
                decode(file, buf, r0, m, images, labels, at);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DataException(file + ": permission denied");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e + ")", e);
        }
    }

    // Records r0 .. r0+m-1 of file, held in buf from its start, into images and labels from at + r0.
    private static void decode(Path file, byte[] buf, int r0, int m, float[] images, int[] labels, int at) {
        int px = RECORD - 1;
        for (int q = 0; q < m; q++) {
            int r = r0 + q, b = q * RECORD, label = buf[b] & 0xFF;
            if (label >= CLASSES) {
                throw new DataException(file + ": record " + r + " (byte offset " + (long) r * RECORD + ") has label " + label
                        + ", outside 0.." + (CLASSES - 1) + "; not a CIFAR-10 binary file (CIFAR-100's has 2 label bytes)?");
            }
            labels[at + r] = label;
            int o = (at + r) * px;
            for (int j = 0; j < px; j++) images[o + j] = (buf[b + 1 + j] & 0xFF) / 255f;
        }
    }

    private static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : TRAIN_FILES) if (!Files.isRegularFile(dir.resolve(f))) missing.add(f);
        if (!Files.isRegularFile(dir.resolve(TEST_FILE))) missing.add(TEST_FILE);
        return missing;
    }
}
