package dev.tauon.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @TempDir Path dir;

    @Test void roundTripsFloat32() throws IOException {
        float[] v = {1.5f, -2f, 0f, Float.MIN_VALUE, 3e38f, -0f};
        Path f = dir.resolve("a.npy");
        Npy.write(f, v, 2, 3);
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(0, (bytes.length - 4 * v.length) % 64, "header padded to 64 bytes");
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(v, a.floats());
        Npy.write(f, new float[] {7}, 1);
        assertArrayEquals(new int[] {1}, Npy.read(f).shape());
    }

    // A file as numpy 2.x writes np.array([[1, 2], [3, 4]], dtype='<f8') in format 2.0, built by hand.
    @Test void readsAHandBuiltVersion2Float64Header() throws IOException {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
        header = header + " ".repeat(64 - (12 + header.length() + 1) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(12 + header.length() + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.putDouble(1).putDouble(2).putDouble(3).putDouble(4);
        Path f = dir.resolve("v2.npy");
        Files.write(f, b.array());
        Npy.Array a = Npy.read(f);
        assertEquals("<f8", a.descr());
        assertArrayEquals(new float[] {1, 2, 3, 4}, a.floats());
        assertArrayEquals(new int[] {2, 2}, a.shape());
    }

    @Test void readsInt64Labels() throws IOException {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
        header = header + " ".repeat(64 - (10 + header.length() + 1) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.putLong(4).putLong(0).putLong(9);
        Path f = dir.resolve("y.npy");
        Files.write(f, b.array());
        assertArrayEquals(new int[] {4, 0, 9}, Npy.read(f).ints());
    }

    @Test void badFilesNameTheFileAndTheProblem() throws IOException {
        Path text = dir.resolve("t.npy");
        Files.writeString(text, "hello world, not numpy");
        assertMessage(text, "not a .npy file");
        assertMessage(dir.resolve("missing.npy"), "no such file");
        Path f = dir.resolve("f.npy");
        Npy.write(f, new float[] {1, 2, 3, 4}, 2, 2);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(dir.resolve("fortran.npy"), new String(bytes, StandardCharsets.ISO_8859_1).replace("False", "True ").getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(dir.resolve("fortran.npy"), "Fortran");
        Files.write(dir.resolve("big.npy"), new String(bytes, StandardCharsets.ISO_8859_1).replace("<f4", ">f4").getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(dir.resolve("big.npy"), ">f4");
        Files.write(dir.resolve("short.npy"), java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertMessage(dir.resolve("short.npy"), "data bytes");
    }

    private static void assertMessage(Path f, String part) {
        var e = assertThrows(IllegalArgumentException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(part), e.getMessage());
    }
}
