package dev.tauon.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

// Files that are replaced whole or not at all: write a temporary ".<name>.<random>.tmp" beside
// the target, fsync it, rename it over the target, fsync the directory. A crash leaves the old
// file or the new one (and perhaps a stale temporary), never a partial file. Plus SHA-256.
public final class AtomicFiles {
    public interface Body { void write(OutputStream out) throws IOException; }

    private AtomicFiles() {}

    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    // Every IOException names the target and the reason; on any failure the target is untouched
    // and the temporary removed. The temporary is created with default permissions (umask).
    public static void write(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        boolean created = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                created = true;
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16) {
                    @Override public void close() throws IOException { flush(); }   // a body may close what it wraps; the channel stays ours
                };
                body.write(out);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);        // rename(2): replaces the target atomically
            created = false;
            syncDirectory(dir);
        } catch (IOException e) {
            throw failure(file, e);
        } finally {
            if (created) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {                            // the failure being reported matters more
                }
            }
        }
    }

    // Deletes the temporaries a crash inside write() left in dir (".<name>.<hex>.tmp"); for a
    // folder only one process writes, when none of its writes is under way. Returns how many.
    public static int removeTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (var s = Files.list(dir)) {
            for (Path f : s.toList()) {
                if (f.getFileName().toString().matches("\\..+\\.[0-9a-f]+\\.tmp") && Files.deleteIfExists(f)) n++;
            }
        }
        return n;
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    // Makes the rename durable. Windows cannot open a directory for fsync; its rename is
    // journaled by NTFS, so there is nothing to do there.
    private static void syncDirectory(Path dir) throws IOException {
        if (System.getProperty("os.name", "").startsWith("Windows")) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    // "<file>: <reason>", e.g. "runs/a/weights.safetensors: No space left on device".
    private static IOException failure(Path file, IOException e) {
        String reason = switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such directory " + file.toAbsolutePath().getParent();
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> String.valueOf(e.getMessage());
        };
        return new IOException(file + ": " + reason, e);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
