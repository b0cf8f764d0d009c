package dev.tauon.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

// Writes small IDX files for the data tests (plain or gzip), and fakes datasets, so that no
// test needs the real downloads.
public final class IdxFiles {
    private IdxFiles() {}

    public static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);   // big-endian
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        return b.put(payload).array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) { gz.write(raw); }
            return out.toByteArray();
        } catch (IOException e) { throw new UncheckedIOException(e); }
    }

    public static Path write(Path dir, String name, byte[] bytes) {
        try { return Files.write(dir.resolve(name), bytes); } catch (IOException e) { throw new UncheckedIOException(e); }
    }

    // count images of rows x cols whose pixel p of image i is (i * 7 + p) mod 256.
    static byte[] images(int count, int rows, int cols) {
        byte[] px = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) for (int p = 0; p < rows * cols; p++) px[i * rows * cols + p] = (byte) (i * 7 + p);
        return idx(Idx.IMAGES_MAGIC, new int[] {count, rows, cols}, px);
    }

    // count labels i mod 10.
    static byte[] labels(int count) {
        byte[] y = new byte[count];
        for (int i = 0; i < count; i++) y[i] = (byte) (i % 10);
        return idx(Idx.LABELS_MAGIC, new int[] {count}, y);
    }

    // A dataset whose sample i is filled with the value i (all pixels), label i mod classes.
    static Dataset numbered(int n, int c, int h, int w, int classes) {
        int s = c * h * w;
        float[] x = new float[n * s];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) x[i * s + j] = i;
            y[i] = i % classes;
        }
        return new Dataset("numbered", x, y, n, c, h, w, classes);
    }
}
