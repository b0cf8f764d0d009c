package dev.tauon.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

// Reader for IDX files (MNIST, Fashion-MNIST): a magic number (0, 0, element type, number of
// dimensions), the dimensions as big-endian int32, then the payload. Plain or gzip, told apart
// by the gzip magic bytes 0x1f 0x8b, never by the file name. Every failure is one DataException
// line that names the file and says what was wrong.
public final class Idx {
    public static final int IMAGES_MAGIC = 0x00000803;   // unsigned bytes, 3 dimensions
    public static final int LABELS_MAGIC = 0x00000801;   // unsigned bytes, 1 dimension
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;

    private Idx() {}

    // pixels: (count, rows, cols) flattened, each byte / 255f, so in [0, 1].
    public record Images(float[] pixels, int count, int rows, int cols) {}

    public static Images readImages(Path file) { return images(file.toString(), read(file, IMAGES_MAGIC)); }

    // The same from a stream (e.g. a classpath resource), read to its end and closed; source
    // names it in error messages.
    public static Images readImages(InputStream in, String source) { return images(source, read(in, source, IMAGES_MAGIC)); }

    public static int[] readLabels(Path file) { return labels(read(file, LABELS_MAGIC)); }

    public static int[] readLabels(InputStream in, String source) { return labels(read(in, source, LABELS_MAGIC)); }

    // The same readers over the bytes of a file already in memory (the fuzz tests); `file`
    // only names it in messages.
    static Images readImages(Path file, byte[] bytes) { return readImages(new java.io.ByteArrayInputStream(bytes), file.toString()); }

    static int[] readLabels(Path file, byte[] bytes) { return readLabels(new java.io.ByteArrayInputStream(bytes), file.toString()); }

    // An images file and its labels file as one dataset (C = 1); labels must lie in 0..classes-1.
    public static Dataset load(String name, Path imagesFile, Path labelsFile, int classes) {
        int[] labels = readLabels(labelsFile);
        return pair(name, readImages(imagesFile), imagesFile.toString(), labels, labelsFile.toString(), classes);
    }

    static Dataset pair(String name, Images im, String imagesSource, int[] labels, String labelsSource, int classes) {
        if (labels.length != im.count()) {
            throw new DataException(imagesSource + " has " + im.count() + " images but " + labelsSource
                    + " has " + labels.length + " labels; they must match one to one");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new DataException(labelsSource + ": label " + labels[i] + " at index " + i
                        + " is outside 0.." + (classes - 1) + " (" + classes + " classes)");
            }
        }
        return new Dataset(name, im.pixels(), labels, im.count(), 1, im.rows(), im.cols(), classes);
    }

    private static Images images(String source, Raw raw) {
        if (raw.dims[1] == 0 || raw.dims[2] == 0) {
            throw fail(source, "images of " + raw.dims[1] + "x" + raw.dims[2] + " pixels; rows and columns must be positive");
        }
        byte[] b = raw.payload;
        float[] pixels = new float[b.length];
        for (int i = 0; i < b.length; i++) pixels[i] = (b[i] & 0xFF) / 255f;
        return new Images(pixels, raw.dims[0], raw.dims[1], raw.dims[2]);
    }

    private static int[] labels(Raw raw) {
        byte[] b = raw.payload;
        int[] labels = new int[b.length];
        for (int i = 0; i < b.length; i++) labels[i] = b[i] & 0xFF;
        return labels;
    }

    private record Raw(int[] dims, byte[] payload) {}

    private static Raw read(Path file, int magic) {
        if (Files.isDirectory(file)) throw fail(file.toString(), "is a directory, expected an IDX file");
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw fail(file.toString(), "no such file");
        } catch (AccessDeniedException e) {
            throw fail(file.toString(), "permission denied");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e + ")", e);
        }
        return read(in, file.toString(), magic);
    }

    private static Raw read(InputStream stream, String source, int magic) {
        int rank = magic & 0xFF;
        boolean[] gzip = {false};
        try (InputStream in = open(stream, gzip)) {
            String unpacked = gzip[0] ? " (after gunzip)" : "";
            byte[] head = in.readNBytes(4);
            if (head.length == 0) throw fail(source, "empty file" + unpacked + ", expected an IDX header");
            if (head.length < 4) throw fail(source, "truncated header" + unpacked + ": expected 4 bytes of magic number, found " + head.length);
            int found = (head[0] & 0xFF) << 24 | (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
            String versus = "expected " + describe(magic) + ", found " + describe(found);
            if (head[0] != 0 || head[1] != 0) throw fail(source, "wrong magic number: " + versus + "; not an IDX file");
            if ((head[2] & 0xFF) != UNSIGNED_BYTE) {
                throw fail(source, "wrong element type 0x%02X (%s), expected 0x08 (unsigned byte); magic number %s"
                        .formatted(head[2] & 0xFF, typeName(head[2] & 0xFF), versus));
            }
            if ((head[3] & 0xFF) != rank) {
                throw fail(source, "wrong number of dimensions " + (head[3] & 0xFF) + ", expected " + rank + "; magic number " + versus);
            }
            byte[] dimBytes = in.readNBytes(4 * rank);
            if (dimBytes.length < 4 * rank) {
                throw fail(source, "truncated header" + unpacked + ": expected " + (4 + 4 * rank) + " bytes, found " + (4 + dimBytes.length));
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                int o = 4 * d;
                dims[d] = (dimBytes[o] & 0xFF) << 24 | (dimBytes[o + 1] & 0xFF) << 16 | (dimBytes[o + 2] & 0xFF) << 8 | (dimBytes[o + 3] & 0xFF);
                if (dims[d] < 0) throw fail(source, "dimension " + d + " is " + Integer.toUnsignedString(dims[d]) + ", too large");
                size = Math.min(size * dims[d], Integer.MAX_VALUE);   // saturate: never overflows a long
            }
            if (size > Integer.MAX_VALUE - 8) throw fail(source, "dimensions " + Arrays.toString(dims) + " make more bytes than one array holds");
            byte[] payload = in.readNBytes((int) size);
            if (payload.length < size) {
                throw fail(source, "truncated payload" + unpacked + ": dimensions " + Arrays.toString(dims) + " need " + size
                        + " bytes, found " + payload.length);
            }
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw fail(source, extra + " unexpected bytes after the payload" + unpacked + " of dimensions " + Arrays.toString(dims));
            }
            return new Raw(dims, payload);
        } catch (ZipException e) {
            throw fail(source, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw fail(source, "truncated gzip stream" + (e.getMessage() != null ? " (" + e.getMessage() + ")" : ""));
        } catch (IOException e) {
            throw new DataException(source + ": cannot read (" + e + ")", e);
        }
    }

    // Closes stream if it cannot wrap it.
    private static InputStream open(InputStream stream, boolean[] gzip) throws IOException {
        BufferedInputStream in = new BufferedInputStream(stream, BUFFER);
        try {
            in.mark(2);
            gzip[0] = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            return gzip[0] ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static DataException fail(String source, String what) { return new DataException(source + ": " + what); }

    private static String describe(int magic) {
        int type = magic >>> 8 & 0xFF, rank = magic & 0xFF;
        if ((magic & 0xFFFF0000) != 0) return "0x%08X".formatted(magic);
        return "0x%08X (%s, %d dimension%s)".formatted(magic, typeName(type), rank, rank == 1 ? "" : "s");
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            case 0x0E -> "float64";
            default -> "unknown type";
        };
    }
}
