package dev.tauon.experiment;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tauon.ReaderOutcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// Fuzz target for resuming from a checkpoint (Jazzer; docs/reliability.md): the input is written
// as a checkpoint pair, RECORD bytes, then "\n@tensors@\n", then the tensors file's bytes (no
// separator: no tensors file), and Checkpoint.restoreNewest restores a tiny model from it. Every
// "@sha256@" in the record becomes the tensors file's real hash, so the fuzzer gets past the hash
// check to the tensors and the fields behind it. Allowed: a restored state that makes sense, or
// the one-line "no valid checkpoint" error naming the record or its tensors file.
class CheckpointFuzzTest {
    static final String BASE = "ckpt-000001-000002";
    static final byte[] SEPARATOR = bytes("\n@tensors@\n"), SHA = bytes("@sha256@");
    static final Path DIR = folder();

    // A model of three small tensors: what the restore copies into.
    static List<Checkpoint.Slot> slots() {
        return List.of(new Checkpoint.Slot("model/w", new float[6]), new Checkpoint.Slot("model/b", new float[2]),
                new Checkpoint.Slot("optim/0", new float[6]));
    }

    @FuzzTest(maxDuration = "10m")
    void record(byte[] input) throws Exception {
        int cut = indexOf(input, SEPARATOR, 0);
        byte[] record = cut < 0 ? input : java.util.Arrays.copyOf(input, cut);
        byte[] tensors = cut < 0 ? null : java.util.Arrays.copyOfRange(input, cut + SEPARATOR.length, input.length);
        Path tensorsFile = DIR.resolve(BASE + ".safetensors");
        if (tensors == null) Files.deleteIfExists(tensorsFile);
        else Files.write(tensorsFile, tensors);
        byte[] recordFile = replace(record, SHA, bytes(dev.tauon.data.AtomicFiles.sha256(tensors == null ? new byte[0] : tensors)));
        Files.write(DIR.resolve(BASE + ".json"), recordFile);
        String prefix = "no valid checkpoint in " + DIR + " to resume from: " + DIR.resolve(BASE) + ".";
        ReaderOutcome.expect(prefix, recordFile.length + (tensors == null ? 0 : tensors.length), () -> {
            List<Checkpoint.Slot> slots = slots();
            Checkpoint.Loaded l = Checkpoint.restoreNewest(DIR, slots);
            assertNotNull(l, "a record is there: restored or refused, never ignored");
            Checkpoint.State st = l.state();
            assertTrue(st.epoch() >= 0 && st.step() >= 0 && st.optimizerSteps() >= 0 && st.trainViews() >= 0, st.toString());
            assertTrue(Double.isFinite(st.lossSum()) && st.trainSeconds() >= 0, st.toString());
            assertEquals(st.epoch(), st.history().size(), "one history row per finished epoch");
            assertNotNull(l.config());
        });
    }

    // In memory (/dev/shm) where there is one: a million pairs of writes on a disk cost minutes.
    static Path folder() {
        try {
            Path shm = Path.of("/dev/shm");
            Path d = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "tauon-checkpoint-fuzz")
                    : Files.createTempDirectory("tauon-checkpoint-fuzz");
            d.toFile().deleteOnExit();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var s = Files.list(d)) {
                    for (Path f : s.toList()) Files.deleteIfExists(f);
                    Files.deleteIfExists(d);
                } catch (IOException ignored) {
                    // a temporary folder left behind
                }
            }));
            return d;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] bytes(String s) { return s.getBytes(java.nio.charset.StandardCharsets.UTF_8); }

    static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = from; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) if (b[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    static byte[] replace(byte[] b, byte[] what, byte[] with) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
        int at = 0;
        for (int i; (i = indexOf(b, what, at)) >= 0; at = i + what.length) {
            out.write(b, at, i - at);
            out.write(with, 0, with.length);
        }
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }
}
