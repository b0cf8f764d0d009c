package dev.tauon.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// NumPy .npy files, natively: format 1.0/2.0/3.0 headers, C order, little-endian <f4 and <f8
// (read as float) and <i4, <i8 (read as int, for labels). Writes float32 as format 1.0. Every
// problem with a file is an IllegalArgumentException whose message starts with the file name.
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    // The contents of a file: its shape and its values as floats (f4, f8) or ints (i4, i8).
    public record Array(String descr, int[] shape, float[] floats, int[] ints) {
        public int size() { return floats != null ? floats.length : ints.length; }
    }

    private Npy() {}

    public static Array read(Path file) throws IOException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw bad(file, "is a directory, expected a .npy file");
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) throw bad(file, "is " + size + " bytes; .npy files over 2 GiB are not supported");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file");
        } catch (AccessDeniedException e) {
            throw bad(file, "permission denied");
        }
        return read(file, bytes);
    }

    // The same reader over the bytes of a file already in memory (the fuzz tests); `file` only
    // names it in messages. Allocates at most the values those bytes hold.
    static Array read(Path file, byte[] bytes) {
        if (bytes.length < 10 || !java.util.Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) throw bad(file, "not a .npy file (no \\x93NUMPY magic)");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        long headerLen;
        int start;
        switch (major) {
            case 1 -> { headerLen = buf.getShort(8) & 0xffff; start = 10; }
            case 2, 3 -> {
                if (bytes.length < 12) throw bad(file, "truncated header");
                headerLen = buf.getInt(8) & 0xffffffffL;
                start = 12;
            }
            default -> throw bad(file, "unsupported .npy format version " + major);
        }
        if (start + headerLen > bytes.length) throw bad(file, "truncated header");
        String header = new String(bytes, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = find(file, DESCR, header, "descr");
        if (find(file, FORTRAN, header, "fortran_order").equals("True")) throw bad(file, "Fortran-order arrays are not supported (save with np.ascontiguousarray)");
        int[] shape = parseShape(file, find(file, SHAPE, header, "shape"));
        long count = 1;
        for (int d : shape) count = Math.min(count * d, 1L << 31);   // saturates below 2^62: never overflows
        int width = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            default -> throw bad(file, "dtype " + shown(descr) + describe(descr) + " is not supported (expected little-endian float32 '<f4' or float64 '<f8', or '<i4'/'<i8')");
        };
        int data = start + (int) headerLen;
        if (bytes.length - data != count * width) {
            String needs = count == 1L << 31 ? "over 2^31 values" : count * width + "";
            throw bad(file, "holds " + (bytes.length - data) + " data bytes but shape " + java.util.Arrays.toString(shape) + " of " + descr + " needs " + needs);
        }
        int n = (int) count;
        buf.position(data);
        if (descr.charAt(1) == 'f') {
            float[] v = new float[n];
            if (width == 4) buf.asFloatBuffer().get(v);
            else for (int i = 0; i < n; i++) v[i] = (float) buf.getDouble(data + 8 * i);
            return new Array(descr, shape, v, null);
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            long x = width == 4 ? buf.getInt(data + 4 * i) : buf.getLong(data + 8 * i);
            if (x != (int) x) throw bad(file, "value " + x + " at " + i + " does not fit an int");
            v[i] = (int) x;
        }
        return new Array(descr, shape, null, v);
    }

    // data: the values of a C-order float32 array of the given shape -> a format 1.0 file
    public static void write(Path file, float[] data, int... shape) throws IOException {
        write(file, "<f4", data.length, shape, buf -> buf.asFloatBuffer().put(data));
    }

    // data: the values of a C-order int32 array (labels) -> a format 1.0 file
    public static void writeInts(Path file, int[] data, int... shape) throws IOException {
        write(file, "<i4", data.length, shape, buf -> buf.asIntBuffer().put(data));
    }

    private static void write(Path file, String descr, int length, int[] shape, java.util.function.Consumer<ByteBuffer> values) throws IOException {
        long count = 1;
        for (int d : shape) count *= d;
        if (count != length) throw new IllegalArgumentException(file + ": shape " + java.util.Arrays.toString(shape) + " needs " + count + " values, got " + length);
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String dimText = shape.length == 1 ? dims.toString().trim() : dims.substring(0, Math.max(0, dims.length() - 2));
        StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dimText + "), }");
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');           // pad so the data starts 64-aligned
        h.append('\n');
        ByteBuffer buf = ByteBuffer.allocate(10 + h.length() + 4 * length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length()).put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        values.accept(buf.slice().order(ByteOrder.LITTLE_ENDIAN));
        // write beside, then move into place: a crash never leaves a truncated .npy behind
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, buf.array());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String find(Path file, Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw bad(file, "header has no '" + key + "': " + shown(header.strip()));
        return m.group(1);
    }

    private static int[] parseShape(Path file, String text) {
        String[] parts = text.split(",");
        int k = 0;
        int[] dims = new int[parts.length];
        for (String p : parts) {
            if (p.isBlank()) continue;
            try {
                dims[k] = Integer.parseInt(p.strip().replace("L", ""));
            } catch (NumberFormatException e) {
                throw bad(file, "bad shape (" + shown(text) + ")");
            }
            if (dims[k] < 0) throw bad(file, "shape (" + shown(text) + ") has a negative dimension " + dims[k]);
            k++;
        }
        return java.util.Arrays.copyOf(dims, k);
    }

    // header text as a message may show it: one line, at most 120 characters
    private static String shown(String text) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    // " (float16)" for '<f2': what a dtype the reader refuses is, in words
    private static String describe(String descr) {
        if (!descr.matches("[<>|=][fiuc][1-9][0-9]?")) return "";
        String kind = switch (descr.charAt(1)) { case 'f' -> "float"; case 'i' -> "int"; case 'u' -> "uint"; default -> "complex"; };
        return " (" + (descr.charAt(0) == '>' ? "big-endian " : "") + kind + 8 * Integer.parseInt(descr.substring(2)) + ")";
    }

    private static IllegalArgumentException bad(Path file, String why) {
        return new IllegalArgumentException(file + ": " + why);
    }
}
