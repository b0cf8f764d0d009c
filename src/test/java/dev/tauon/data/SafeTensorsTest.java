package dev.tauon.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeTensorsTest {
    @TempDir Path dir;

    static final List<SafeTensors.Entry> SAMPLE = List.of(
            new SafeTensors.Entry("backbone.0.weight", new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, -0f, Float.MIN_VALUE}),
            new SafeTensors.Entry("backbone.0.bias", new int[] {2}, new float[] {Float.NaN, Float.POSITIVE_INFINITY}),
            new SafeTensors.Entry("step", new int[] {}, new float[] {42}),
            new SafeTensors.Entry("empty", new int[] {0, 5}, new float[] {}),
            new SafeTensors.Entry("héad.\"q\"\\", new int[] {1, 1, 1}, new float[] {Float.intBitsToFloat(0x7fc00001)}));

    @Test void roundTripsBitForBitInOrder() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("config", "{\"tau\": 0.2, \"note\": \"ünïcode\"}");
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, meta, SAMPLE);
        assertArrayEquals(SafeTensors.encode(meta, SAMPLE), Files.readAllBytes(f));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(meta, c.metadata());
        assertEquals(List.copyOf(meta.keySet()), List.copyOf(c.metadata().keySet()));
        assertEquals(SAMPLE.size(), c.tensors().size());
        for (int i = 0; i < SAMPLE.size(); i++) {
            SafeTensors.Entry want = SAMPLE.get(i), got = c.tensors().get(i);
            assertEquals(want.name(), got.name());
            assertArrayEquals(want.shape(), got.shape());
            assertArrayEquals(bits(want.data()), bits(got.data()), want.name());
            assertSame(got, c.get(want.name()));
        }
        assertNull(c.get("missing"));
        assertEquals(Map.of(), SafeTensors.decode(SafeTensors.encode(Map.of(), List.of()), "e").metadata());
    }

    // The JSON typed literally, the floats laid out byte by byte: an encoding independent of ours.
    // Header keys are not in offset order; the tensors come back in offset (file) order.
    @Test void readsAFileWrittenByHand() {
        String json = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
                + "\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"shape\":[2,3],\"data_offsets\":[0,24],\"dtype\":\"F32\"}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = json.length() + (8 - json.length() % 8) % 8;
        for (int i = 0; i < 8; i++) out.write(i == 0 ? n & 0xff : i == 1 ? n >> 8 : 0);
        out.writeBytes((json + " ".repeat(n - json.length())).getBytes(StandardCharsets.US_ASCII));
        for (float v : new float[] {1, 2, 3, 4, 5, 6, -1.5f, 0.25f}) {
            int b = Float.floatToIntBits(v);
            for (int k = 0; k < 4; k++) out.write(b >>> (8 * k));
        }
        SafeTensors.Contents c = SafeTensors.decode(out.toByteArray(), "hand.safetensors");
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertEquals(List.of("a", "b"), c.tensors().stream().map(SafeTensors.Entry::name).toList());
        assertArrayEquals(new int[] {2, 3}, c.get("a").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.get("a").data());
        assertArrayEquals(new float[] {-1.5f, 0.25f}, c.get("b").data());
    }

    // Our header parsed independently: compared character for character with the format.
    @Test void writesTheFormatExactly() {
        byte[] b = SafeTensors.encode(Map.of("k", "v"), List.of(
                new SafeTensors.Entry("w", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                new SafeTensors.Entry("b", new int[] {1}, new float[] {-2})));
        long n = 0;
        for (int i = 7; i >= 0; i--) n = n << 8 | (b[i] & 0xff);
        String expected = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[24,28]}}";
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        assertTrue(n - expected.length() < 8);
        assertEquals(expected + " ".repeat((int) n - expected.length()), new String(b, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals(8 + n + 28, b.length, "data contiguous, nothing after it");
        float[] data = new float[7];
        for (int i = 0; i < 7; i++) {
            int at = (int) (8 + n + 4 * i);
            data[i] = Float.intBitsToFloat((b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24);
        }
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, -2}, data);
    }

    @Test void rejectsBadEntriesOnWrite() {
        assertThrows(IllegalArgumentException.class, () -> new SafeTensors.Entry("x", new int[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new SafeTensors.Entry("x", new int[] {-1}, new float[0]));
        var x = new SafeTensors.Entry("x", new int[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.encode(Map.of(), List.of(x, x)));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.encode(Map.of(), List.of(new SafeTensors.Entry("__metadata__", new int[] {0}, new float[0]))));
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }
}
