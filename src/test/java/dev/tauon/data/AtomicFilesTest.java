package dev.tauon.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @TempDir Path dir;

    static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test void writesAndReplacesLeavingNothingElse() throws IOException {
        Path f = dir.resolve("a.json");
        AtomicFiles.writeString(f, "{\"x\": \"ü\"}");
        assertEquals("{\"x\": \"ü\"}", Files.readString(f, StandardCharsets.UTF_8));
        byte[] big = new byte[300_000];                                    // larger than the stream's buffer
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + 7);
        AtomicFiles.write(f, big);
        assertArrayEquals(big, Files.readAllBytes(f));
        AtomicFiles.write(f, new byte[0]);
        assertEquals(0, Files.size(f));
        assertEquals(List.of("a.json"), names(dir));
    }

    @Test void aBodyMayCloseWhatItWraps() throws IOException {
        Path f = dir.resolve("z.gz");
        AtomicFiles.write(f, out -> {
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write("hello".getBytes(StandardCharsets.US_ASCII));
            }
        });
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
            assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    // The disk filling up mid-write, as the JDK reports it: the old file stays, no temporary.
    @Test void aBodyFailingHalfwayLeavesTheOldFile() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        AtomicFiles.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals(f + ": No space left on device", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("ckpt.safetensors"), names(dir));

        // a bug in the body is not an I/O error: it passes through unchanged, and still cleans up
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw bug;
        })));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("ckpt.safetensors"), names(dir));
    }

    @Test void unusableDestinationsNameThePathAndReason() throws IOException {
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "x");
        Path under = plain.resolve("out.bin");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(under, new byte[1]));
        assertEquals(under + ": Not a directory", e.getMessage());

        Path missing = dir.resolve("no/out.bin");
        e = assertThrows(IOException.class, () -> AtomicFiles.write(missing, new byte[1]));
        assertEquals(missing + ": no such directory " + dir.resolve("no"), e.getMessage());

        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.writeString(sub.resolve("keep"), "k");
        e = assertThrows(IOException.class, () -> AtomicFiles.write(sub, new byte[1]));
        assertTrue(e.getMessage().startsWith(sub + ": "), e.getMessage());
        assertEquals(List.of("plain", "sub"), names(dir));
        assertEquals(List.of("keep"), names(sub));
    }

    @Test void aReadOnlyDirectoryIsPermissionDenied() throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Path f = ro.resolve("a.txt");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(ro), "running as root (or with CAP_DAC_OVERRIDE), which ignores permissions");
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(f, "new"));
            assertEquals(f + ": permission denied", e.getMessage());
            assertEquals("old", Files.readString(f));
            assertEquals(List.of("a.txt"), names(ro));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    // The temporary honours the umask like any new file (Files.createTempFile would make it 0600).
    @Test void theNewFileHasOrdinaryPermissions() throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path plain = dir.resolve("plain.txt"), atomic = dir.resolve("atomic.txt");
        Files.writeString(plain, "x");
        AtomicFiles.writeString(atomic, "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test void sha256MatchesKnownDigests() throws IOException {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", AtomicFiles.sha256(new byte[0]));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", AtomicFiles.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
        byte[] big = new byte[200_003];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i ^ i >> 8);
        Path f = dir.resolve("big");
        Files.write(f, big);
        assertEquals(AtomicFiles.sha256(big), AtomicFiles.sha256(f));
        assertThrows(IOException.class, () -> AtomicFiles.sha256(dir.resolve("none")));
    }

}
