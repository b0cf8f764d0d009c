package dev.tauon.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

// Every lie a header can tell, and every truncation, ends in a DataException that names the file.
class SafeTensorsCorruptionTest {
    static final String NAME = "bad.safetensors";
    @TempDir Path dir;

    // A file with this header (unpadded) and this many data bytes.
    static byte[] file(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    static void rejects(byte[] bytes, String why) {
        DataException e = assertThrows(DataException.class, () -> SafeTensors.decode(bytes, NAME));
        assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(why), "'" + why + "' not in: " + e.getMessage());
    }

    static void rejects(String json, int dataBytes, String why) {
        rejects(file(json, dataBytes), why);
    }

    static String t(String name, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    @Test void theBaselineIsValid() {
        assertEquals(2, SafeTensors.decode(file("{" + t("a", "[2]", "[0,8]") + "," + t("b", "[1]", "[8,12]") + "}", 12), NAME).tensors().size());
    }

    @Test void headerLengthAndEncoding() {
        rejects(new byte[5], "truncated");
        rejects(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array(), "header length 1000 exceeds the 8 bytes");
        rejects(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-8).array(), "header length 18446744073709551608");
        rejects(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0).array(), "does not start with '{'");
        rejects(" {}", 0, "does not start with '{'");
        rejects("[1, 2]", 0, "does not start with '{'");
        byte[] latin1 = file("{\"\u00e9\":{}}", 0);
        latin1[10] = (byte) 0xe9;                                          // é in ISO-8859-1: not UTF-8
        latin1[11] = '"';
        rejects(latin1, "not valid UTF-8");
    }

    @Test void malformedJson() {
        rejects("{\"a\":", 0, "not valid JSON");
        rejects("{\"a\":{\"dtype\":\"F32\"", 0, "not valid JSON");
        rejects("{} x", 0, "not valid JSON");
        rejects("{}{}", 0, "content after its closing");
        rejects("{\"a\":5}", 0, "'a' in the header is 5, not an object");
        rejects("{\"a\":[1]}", 0, "not an object");
        rejects("{'a':{}}", 0, "not valid JSON");
    }

    @Test void missingKeysAndWrongTypes() {
        rejects("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'a': missing \"dtype\"");
        rejects("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "missing \"shape\"");
        rejects("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "missing \"data_offsets\"");
        rejects("{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "dtype is not a string");
        rejects("{" + t("a", "[1]", "[0,4]").replace("F32", "F16") + "}", 4, "dtype F16 is not supported");
        rejects("{" + t("a", "[1]", "[0,4]").replace("F32", "I64") + "}", 4, "dtype I64 is not supported");
        rejects("{" + t("a", "2", "[0,8]") + "}", 8, "shape is not an array");
        rejects("{" + t("a", "[2.0]", "[0,8]") + "}", 8, "shape holds 2.0, not an integer");
        rejects("{" + t("a", "[\"2\"]", "[0,8]") + "}", 8, "not an integer");
        rejects("{" + t("a", "[2]", "[0,8,9]") + "}", 8, "is not [begin, end]");
        rejects("{" + t("a", "[2]", "[8,0]") + "}", 8, "is not [begin, end]");
        rejects("{\"__metadata__\":{\"k\":1}}", 0, "metadata 'k' is not a string");
        rejects("{\"__metadata__\":[]}", 0, "not an object");
    }

    @Test void impossibleShapes() {
        rejects("{" + t("a", "[-1]", "[0,4]") + "}", 4, "negative -1");
        rejects("{" + t("a", "[3]", "[0,8]") + "}", 8, "shape [3] of F32 needs 3 x 4 bytes, but data_offsets [0, 8] span 8");
        rejects("{" + t("a", "[1]", "[0,2]") + "}", 2, "span 2");
        rejects("{" + t("a", "[2147483648]", "[0,8]") + "}", 8, "dimension 2147483648");
        rejects("{" + t("a", "[2147483647,2147483647,2147483647]", "[0,8]") + "}", 8, "more elements than a long");
        rejects("{" + t("a", "[1073741824,4]", "[0,0]") + "}", 0, "needs 4294967296 x 4 bytes");   // count * 4 would wrap an int
        rejects("{" + t("a", "[99999999999999999999]", "[0,8]") + "}", 8, "too large");
        rejects("{" + t("a", "[1]", "[-4,0]") + "}", 4, "negative");
    }

    @Test void offsetsAgainstTheData() {
        rejects("{" + t("a", "[100]", "[0,400]") + "}", 8, "ends at byte 400 of the data, but the file holds only 8");
        rejects("{" + t("a", "[2]", "[0,8]") + "," + t("b", "[2]", "[4,12]") + "}", 12, "'b' at bytes 4..12 overlaps");
        rejects("{" + t("a", "[2]", "[0,8]") + "," + t("b", "[1]", "[12,16]") + "}", 16, "gap in the data: bytes 8..12");
        rejects("{" + t("a", "[1]", "[4,8]") + "}", 8, "gap in the data: bytes 0..4");
        rejects("{" + t("a", "[2]", "[0,8]") + "}", 12, "4 bytes after the last tensor");
        rejects("{" + t("a", "[2]", "[0,8]") + "," + t("a", "[1]", "[8,12]") + "}", 12, "'a' appears twice");
        rejects("{\"__metadata__\":{},\"__metadata__\":{}}", 0, "'__metadata__' appears twice");
    }

    @Test void everyTruncationIsADataException() throws IOException {
        byte[] whole = SafeTensors.encode(Map.of("format", "pt"), SafeTensorsTest.SAMPLE);
        for (int p = 0; p < whole.length; p++) {
            byte[] cut = Arrays.copyOf(whole, p);
            DataException e = assertThrows(DataException.class, () -> SafeTensors.decode(cut, NAME), "cut at " + p);
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        }
        Path f = dir.resolve("cut.safetensors");
        Files.write(f, Arrays.copyOf(whole, whole.length - 1));
        assertTrue(assertThrows(DataException.class, () -> SafeTensors.read(f)).getMessage().startsWith(f + ": "));
        assertTrue(assertThrows(DataException.class, () -> SafeTensors.read(dir.resolve("none"))).getMessage().endsWith("none: no such file"));
    }

    // Every byte of a small file set to JSON's punctuation, digits, bytes that break UTF-8, and
    // its neighbours: a valid file or a DataException, nothing else.
    @Test void everySingleByteCorruptionIsHandled() {
        byte[] whole = SafeTensors.encode(Map.of("k", "v"), List.of(
                new SafeTensors.Entry("w", new int[] {2, 1}, new float[] {1, 2}),
                new SafeTensors.Entry("b", new int[] {1}, new float[] {3})));
        byte[] values = "\0\1 \"{}[],:-.09eE\\\u007f".getBytes(StandardCharsets.US_ASCII);
        int tries = 0, failures = 0;
        for (int p = 0; p < whole.length; p++) {
            byte[] these = Arrays.copyOf(values, values.length + 6);
            byte[] extra = {(byte) 0x80, (byte) 0xc3, (byte) 0xff, (byte) (whole[p] + 1), (byte) (whole[p] - 1), (byte) (whole[p] ^ 0x40)};
            System.arraycopy(extra, 0, these, values.length, extra.length);
            for (byte v : these) {
                if (v == whole[p]) continue;
                byte[] b = whole.clone();
                b[p] = v;
                tries++;
                try {
                    SafeTensors.decode(b, NAME);
                } catch (DataException e) {
                    assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
                    failures++;
                }
            }
        }
        assertTrue(failures > tries * 3 / 4, "most corruptions are caught: " + failures + " of " + tries);
    }
}
