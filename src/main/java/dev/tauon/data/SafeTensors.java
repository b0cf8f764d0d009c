package dev.tauon.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

// safetensors files (https://huggingface.co/docs/safetensors), what Python loads with
// safetensors.torch.load_file: u64 little-endian header length N, N bytes of JSON padded with
// spaces to 8 bytes, then the tensors' bytes back to back. F32 only. Reading checks every claim
// of the header against the bytes present before it allocates a tensor.
public final class SafeTensors {
    // no symbol table for field names: header names come from the file, unbounded in number
    private static final JsonFactory JSON = JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();
    private static final String METADATA = "__metadata__";

    // One tensor, row-major; shape [] is a scalar.
    public record Entry(String name, int[] shape, float[] data) {
        public Entry {
            long n = 1;
            for (int d : shape) {
                if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
                n = Math.multiplyExact(n, d);
            }
            if (n != data.length) throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    // A file's metadata (empty if it has none) and tensors in file (offset) order.
    public record Contents(Map<String, String> metadata, List<Entry> tensors) {
        public Entry get(String name) {
            for (Entry e : tensors) if (e.name().equals(name)) return e;
            return null;
        }
    }

    private SafeTensors() {}

    // Writes atomically (AtomicFiles), streaming the tensors: no second copy of the weights.
    public static void write(Path file, Map<String, String> metadata, List<Entry> tensors) throws IOException {
        byte[] header = header(metadata, tensors);
        AtomicFiles.write(file, out -> writeTo(out, header, tensors));
    }

    public static byte[] encode(Map<String, String> metadata, List<Entry> tensors) {
        byte[] header = header(metadata, tensors);
        long size = header.length + 4L * tensors.stream().mapToLong(e -> e.data().length).sum();
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("safetensors encoding of " + size + " bytes does not fit a byte[]; write to a file");
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        try {
            writeTo(out, header, tensors);
        } catch (IOException e) {
            throw new AssertionError(e);                                   // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    public static Contents read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        }
        if (size > Integer.MAX_VALUE - 8) throw new DataException(file + ": " + size + " bytes; safetensors files over 2 GiB are not supported");
        return decode(Files.readAllBytes(file), file.toString());
    }

    public static Contents decode(byte[] bytes, String source) {
        if (bytes.length < 8) throw bad(source, "truncated: " + bytes.length + " bytes, but a safetensors file starts with an 8-byte header length");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n < 0 || n > bytes.length - 8) throw bad(source, "header length " + Long.toUnsignedString(n) + " exceeds the " + (bytes.length - 8) + " bytes after it (truncated or not a safetensors file)");
        if (n == 0 || bytes[8] != '{') throw bad(source, "header does not start with '{' (not a safetensors file)");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw bad(source, "header is not valid UTF-8");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Slot> slots = parseHeader(source, text, metadata);

        // contiguity: sorted by offsets, each tensor begins where the previous ended, the last ends at the file's end
        slots.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long dataStart = 8 + n, dataLen = bytes.length - dataStart, at = 0;
        for (Slot s : slots) {
            if (s.begin() < at) throw bad(source, "tensor '" + DataException.shown(s.name()) + "' at bytes " + s.begin() + ".." + s.end() + " overlaps the tensor before it, which ends at " + at);
            if (s.begin() > at) throw bad(source, "gap in the data: bytes " + at + ".." + s.begin() + " belong to no tensor (next is '" + DataException.shown(s.name()) + "')");
            if (s.end() > dataLen) throw bad(source, "tensor '" + DataException.shown(s.name()) + "' ends at byte " + s.end() + " of the data, but the file holds only " + dataLen + " data bytes (truncated?)");
            at = s.end();
        }
        if (at != dataLen) throw bad(source, (dataLen - at) + " bytes after the last tensor belong to no tensor");

        List<Entry> tensors = new ArrayList<>(slots.size());
        for (Slot s : slots) {                                             // every size checked against bytes present
            float[] v = new float[(int) ((s.end() - s.begin()) / 4)];
            buf.position((int) (dataStart + s.begin()));
            buf.asFloatBuffer().get(v);
            tensors.add(new Entry(s.name(), s.shape(), v));
        }
        return new Contents(Collections.unmodifiableMap(metadata), Collections.unmodifiableList(tensors));
    }

    // A tensor as the header describes it, checked in itself but not yet against the file.
    private record Slot(String name, int[] shape, long begin, long end) {}

    private static List<Slot> parseHeader(String source, String text, Map<String, String> metadata) {
        List<Slot> slots = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try (JsonParser p = JSON.createParser(text)) {
            p.nextToken();                                                 // '{', checked by the caller
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!names.add(name)) throw bad(source, "'" + DataException.shown(name) + "' appears twice in the header");
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_OBJECT) throw bad(source, "'" + DataException.shown(name) + "' in the header is " + DataException.shown(p.getText()) + ", not an object");
                if (name.equals(METADATA)) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        if (p.nextToken() != JsonToken.VALUE_STRING) throw bad(source, "metadata '" + DataException.shown(key) + "' is not a string");
                        metadata.put(key, p.getText());
                    }
                } else {
                    slots.add(slot(source, name, p));
                }
            }
            if (p.nextToken() != null) throw bad(source, "header has content after its closing '}'");
        } catch (IOException e) {                                          // JsonParseException and kin; no real I/O on a String
            throw bad(source, "header is not valid JSON: " + DataException.shown(String.valueOf(e.getMessage()).lines().findFirst().orElse(""), 200));
        }
        return slots;
    }

    // Parses one tensor's {"dtype", "shape", "data_offsets"}; p stands on its '{'. Unknown keys are skipped.
    private static Slot slot(String source, String name, JsonParser p) throws IOException {
        String dtype = null;
        long[] shape = null, offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            switch (key) {
                case "dtype" -> {
                    if (t != JsonToken.VALUE_STRING) throw bad(source, "tensor '" + DataException.shown(name) + "': dtype is not a string");
                    dtype = p.getText();
                }
                case "shape" -> shape = longs(source, name, key, p);
                case "data_offsets" -> offsets = longs(source, name, key, p);
                default -> p.skipChildren();
            }
        }
        String where = "tensor '" + DataException.shown(name) + "': ";
        if (dtype == null || shape == null || offsets == null) {
            throw bad(source, where + "missing \"" + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets") + "\"");
        }
        if (!dtype.equals("F32")) throw bad(source, where + "dtype " + DataException.shown(dtype) + " is not supported (only F32)");
        if (offsets.length != 2 || offsets[0] > offsets[1]) throw bad(source, where + "data_offsets " + Arrays.toString(offsets) + " is not [begin, end] with begin <= end");
        int[] dims = new int[shape.length];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) throw bad(source, where + "dimension " + shape[i] + " in shape " + Arrays.toString(shape) + " is too large");
            dims[i] = (int) shape[i];
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                throw bad(source, where + "shape " + Arrays.toString(shape) + " has more elements than a long counts");
            }
        }
        if (count > (offsets[1] - offsets[0]) / 4 || count * 4 != offsets[1] - offsets[0]) {
            throw bad(source, where + "shape " + Arrays.toString(shape) + " of F32 needs " + count + " x 4 bytes, but data_offsets " + Arrays.toString(offsets) + " span " + (offsets[1] - offsets[0]));
        }
        return new Slot(name, dims, offsets[0], offsets[1]);
    }

    // A JSON array of non-negative integers that fit a long.
    private static long[] longs(String source, String name, String key, JsonParser p) throws IOException {
        String where = "tensor '" + DataException.shown(name) + "': " + key;
        if (p.currentToken() != JsonToken.START_ARRAY) throw bad(source, where + " is not an array");
        long[] v = new long[4];
        int n = 0;
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
            if (t != JsonToken.VALUE_NUMBER_INT) throw bad(source, where + " holds " + DataException.shown(p.getText()) + ", not an integer");
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) throw bad(source, where + " holds " + DataException.shown(p.getText()) + ", too large");
            long x = p.getLongValue();
            if (x < 0) throw bad(source, where + " holds the negative " + x);
            if (n == v.length) v = Arrays.copyOf(v, 2 * n);
            v[n++] = x;
        }
        return Arrays.copyOf(v, n);
    }

    // {"__metadata__": {...}, "name": {"dtype": "F32", "shape": [...], "data_offsets": [b, e]}, ...}
    // in the order given, padded with spaces so the data starts at a multiple of 8.
    private static byte[] header(Map<String, String> metadata, List<Entry> tensors) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Set<String> names = new HashSet<>();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeFieldName(METADATA);
                g.writeStartObject();
                for (var e : metadata.entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
            }
            long at = 0;
            for (Entry e : tensors) {
                if (e.name().equals(METADATA) || !names.add(e.name())) throw new IllegalArgumentException("tensor name '" + e.name() + "' is reserved or used twice");
                g.writeFieldName(e.name());
                g.writeStartObject();
                g.writeStringField("dtype", "F32");
                g.writeArrayFieldStart("shape");
                for (int d : e.shape()) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(at);
                g.writeNumber(at += 4L * e.data().length);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        while (json.size() % 8 != 0) json.write(' ');
        return json.toByteArray();
    }

    private static void writeTo(OutputStream out, byte[] header, List<Entry> tensors) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        chunk.putLong(header.length);
        out.write(chunk.array(), 0, 8);
        out.write(header);
        for (Entry e : tensors) {
            float[] v = e.data();
            for (int i = 0; i < v.length; i += chunk.capacity() / 4) {
                int m = Math.min(chunk.capacity() / 4, v.length - i);
                chunk.clear();
                chunk.asFloatBuffer().put(v, i, m);
                out.write(chunk.array(), 0, 4 * m);
            }
        }
    }

    private static DataException bad(String source, String why) {
        return new DataException(source + ": " + why);
    }
}
