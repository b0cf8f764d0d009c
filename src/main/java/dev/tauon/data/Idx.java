package dev.tauon.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
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

    public static Images readImages(Path file) { return images(file, read(file, IMAGES_MAGIC)); }

    public static int[] readLabels(Path file) { return labels(read(file, LABELS_MAGIC)); }

    // The same readers over the bytes of a file already in memory (the fuzz tests); `file`
    // only names it in messages.
    static Images readImages(Path file, byte[] bytes) { return images(file, read(file, bytes, IMAGES_MAGIC)); }

    static int[] readLabels(Path file, byte[] bytes) { return labels(read(file, bytes, LABELS_MAGIC)); }

    private static Images images(Path file, Raw raw) {
        if (raw.dims[1] == 0 || raw.dims[2] == 0) {
            throw fail(file, "images of " + raw.dims[1] + "x" + raw.dims[2] + " pixels; rows and columns must be positive");
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

    // An images file and its labels file as one dataset (C = 1); labels must lie in 0..classes-1.
    public static Dataset load(String name, Path imagesFile, Path labelsFile, int classes) {
        int[] labels = readLabels(labelsFile);
        Images im = readImages(imagesFile);
        if (labels.length != im.count()) {
            throw new DataException(imagesFile + " has " + im.count() + " images but " + labelsFile
                    + " has " + labels.length + " labels; they must match one to one");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new DataException(labelsFile + ": label " + labels[i] + " at index " + i
                        + " is outside 0.." + (classes - 1) + " (" + classes + " classes)");
            }
        }
        return new Dataset(name, im.pixels(), labels, im.count(), 1, im.rows(), im.cols(), classes);
    }

    private record Raw(int[] dims, byte[] payload) {}

    private static Raw read(Path file, int magic) {
        if (Files.isDirectory(file)) throw fail(file, "is a directory, expected an IDX file");
        try {
            return read(file, Files.newInputStream(file), magic);
        } catch (NoSuchFileException e) {
            throw fail(file, "no such file");
        } catch (AccessDeniedException e) {
            throw fail(file, "permission denied");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e + ")", e);
        }
    }

    private static Raw read(Path file, byte[] bytes, int magic) { return read(file, new ByteArrayInputStream(bytes), magic); }

    // Reads and closes `source`. Allocation is bounded by the bytes the stream really holds,
    // never by the sizes the header claims (readNBytes grows its buffer as data arrives).
    private static Raw read(Path file, InputStream source, int magic) {
        int rank = magic & 0xFF;
        boolean[] gzip = {false};
        try (InputStream in = open(source, gzip)) {
            String unpacked = gzip[0] ? " (after gunzip)" : "";
            byte[] head = in.readNBytes(4);
            if (head.length == 0) throw fail(file, "empty file" + unpacked + ", expected an IDX header");
            if (head.length < 4) throw fail(file, "truncated header" + unpacked + ": expected 4 bytes of magic number, found " + head.length);
            int found = (head[0] & 0xFF) << 24 | (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
            String versus = "expected " + describe(magic) + ", found " + describe(found);
            if (head[0] != 0 || head[1] != 0) throw fail(file, "wrong magic number: " + versus + "; not an IDX file");
            if ((head[2] & 0xFF) != UNSIGNED_BYTE) {
                throw fail(file, "wrong element type 0x%02X (%s), expected 0x08 (unsigned byte); magic number %s"
                        .formatted(head[2] & 0xFF, typeName(head[2] & 0xFF), versus));
            }
            if ((head[3] & 0xFF) != rank) {
                throw fail(file, "wrong number of dimensions " + (head[3] & 0xFF) + ", expected " + rank + "; magic number " + versus);
            }
            byte[] dimBytes = in.readNBytes(4 * rank);
            if (dimBytes.length < 4 * rank) {
                throw fail(file, "truncated header" + unpacked + ": expected " + (4 + 4 * rank) + " bytes, found " + (4 + dimBytes.length));
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                int o = 4 * d;
                dims[d] = (dimBytes[o] & 0xFF) << 24 | (dimBytes[o + 1] & 0xFF) << 16 | (dimBytes[o + 2] & 0xFF) << 8 | (dimBytes[o + 3] & 0xFF);
                if (dims[d] < 0) throw fail(file, "dimension " + d + " is " + Integer.toUnsignedString(dims[d]) + ", too large");
                size = Math.min(size * dims[d], Integer.MAX_VALUE);   // saturate: never overflows a long
            }
            if (size > Integer.MAX_VALUE - 8) throw fail(file, "dimensions " + Arrays.toString(dims) + " make more bytes than one array holds");
            byte[] payload = in.readNBytes((int) size);
            if (payload.length < size) {
                throw fail(file, "truncated payload" + unpacked + ": dimensions " + Arrays.toString(dims) + " need " + size
                        + " bytes, found " + payload.length);
            }
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw fail(file, extra + " unexpected bytes after the payload" + unpacked + " of dimensions " + Arrays.toString(dims));
            }
            return new Raw(dims, payload);
        } catch (ZipException e) {
            throw fail(file, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw fail(file, "truncated gzip stream" + (e.getMessage() != null ? " (" + e.getMessage() + ")" : ""));
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e + ")", e);
        }
    }

    private static InputStream open(InputStream source, boolean[] gzip) throws IOException {
        InputStream in = source.markSupported() ? source : new BufferedInputStream(source, BUFFER);   // bytes in memory need no buffer
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

    private static DataException fail(Path file, String what) { return new DataException(file + ": " + what); }

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
