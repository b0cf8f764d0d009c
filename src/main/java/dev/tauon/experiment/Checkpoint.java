package dev.tauon.experiment;

import dev.tauon.data.AtomicFiles;
import dev.tauon.data.DataException;
import dev.tauon.data.SafeTensors;
import dev.tauon.loss.MemoryBank;
import dev.tauon.nn.Parameter;
import dev.tauon.optim.Optimizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

// A run's checkpoints: checkpoint/ckpt-EEEEEE-SSSSSS.safetensors (weights, batch-norm statistics,
// optimiser state, memory bank) and its record ckpt-EEEEEE-SSSSSS.json (position, loss so far,
// history, configuration, the tensors file's SHA-256). Both are written atomically, tensors
// first; a checkpoint counts only when its record exists and the hash matches, so a crash at any
// moment leaves the previous checkpoint usable. The two newest valid checkpoints are kept.
public final class Checkpoint {
    public static final String FORMAT = "tauon-checkpoint-1";
    static final int KEEP = 2;

    // Where training stands: `step` steps of epoch `epoch` are done (0-based), with lossSum the
    // sum of their losses; history holds the finished epochs.
    public record State(int epoch, int step, double lossSum, long optimizerSteps, List<History.Row> history,
                        double trainSeconds, long trainViews) {}

    public record Loaded(State state, Map<String, Object> config, Path record, List<String> skipped) {}

    private Checkpoint() {}

    public static Path save(Path dir, RunConfig cfg, State st, Model model, Optimizer opt, MemoryBank bank) throws IOException {
        Files.createDirectories(dir);
        String base = String.format("ckpt-%06d-%06d", st.epoch(), st.step());
        List<SafeTensors.Entry> tensors = new ArrayList<>();
        for (Parameter p : model.state()) tensors.add(new SafeTensors.Entry("model/" + p.name(), p.value().shape().dims(), p.data()));
        List<float[]> os = opt.state();
        for (int i = 0; i < os.size(); i++) tensors.add(new SafeTensors.Entry("optim/" + i, new int[] {os.get(i).length}, os.get(i)));
        if (bank != null) tensors.add(new SafeTensors.Entry("bank", new int[] {bank.size(), bank.dim()}, bank.data()));
        byte[] bytes = SafeTensors.encode(Map.of("format", FORMAT), tensors);
        AtomicFiles.write(dir.resolve(base + ".safetensors"), bytes);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("format", FORMAT);
        rec.put("epoch", st.epoch());
        rec.put("step", st.step());
        rec.put("loss_sum", Double.toString(st.lossSum()));     // as text: it must round-trip exactly
        rec.put("optimizer_steps", st.optimizerSteps());
        rec.put("train_seconds", st.trainSeconds());
        rec.put("train_views", st.trainViews());
        rec.put("history", History.toMaps(st.history()));
        rec.put("tensors", base + ".safetensors");
        rec.put("sha256", AtomicFiles.sha256(bytes));
        rec.put("config", cfg.toMap());
        Path record = dir.resolve(base + ".json");
        AtomicFiles.writeString(record, JsonFiles.write(rec, true));
        prune(dir);
        return record;
    }

    // Newest first: the records in dir (names sort by epoch and step).
    static List<Path> records(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("ckpt-\\d{6}-\\d{6}\\.json"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        }
    }

    // Removes all but the KEEP newest checkpoints, tensors files without a record that are older
    // than the newest record (left by a crash between the two writes), and temporaries left by a
    // crash inside a write (".ckpt-....tmp"; only this run writes here, and its writes are done).
    private static void prune(Path dir) throws IOException {
        List<Path> recs = records(dir);
        for (int i = KEEP; i < recs.size(); i++) {
            Files.deleteIfExists(tensorsOf(recs.get(i)));
            Files.deleteIfExists(recs.get(i));
        }
        String newest = recs.isEmpty() ? "" : recs.getFirst().getFileName().toString().replace(".json", ".safetensors");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                String n = f.getFileName().toString();
                boolean orphan = n.matches("ckpt-\\d{6}-\\d{6}\\.safetensors") && n.compareTo(newest) < 0
                        && !Files.exists(f.resolveSibling(n.replace(".safetensors", ".json")));
                if (orphan) Files.deleteIfExists(f);
            }
        }
        AtomicFiles.removeTemporaries(dir);
    }

    private static Path tensorsOf(Path record) {
        String n = record.getFileName().toString();
        return record.resolveSibling(n.substring(0, n.length() - 5) + ".safetensors");
    }

    // A tensor a checkpoint must hold, and where its values go.
    record Slot(String name, float[] into) {}

    // The newest valid checkpoint, restored into model, opt and bank; null when dir holds none at
    // all. Invalid ones (unreadable, hash mismatch, wrong shapes, a malformed record) are skipped
    // and named; when checkpoints exist but none is valid, that is an error: nothing is overwritten.
    public static Loaded restoreNewest(Path dir, Model model, Optimizer opt, MemoryBank bank) throws IOException {
        List<Slot> slots = new ArrayList<>();
        for (Parameter p : model.state()) slots.add(new Slot("model/" + p.name(), p.data()));
        List<float[]> os = opt.state();
        for (int i = 0; i < os.size(); i++) slots.add(new Slot("optim/" + i, os.get(i)));
        float[] b = bank == null ? null : new float[bank.size() * bank.dim()];
        if (bank != null) slots.add(new Slot("bank", b));
        Loaded loaded = restoreNewest(dir, slots);
        if (loaded != null) {
            if (bank != null) bank.load(b);
            opt.setSteps(loaded.state().optimizerSteps());
        }
        return loaded;
    }

    // The same over named arrays: a checkpoint's values are copied only once all of it checks out.
    static Loaded restoreNewest(Path dir, List<Slot> slots) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Path record : records(dir)) {
            try {
                return restore(record, slots, skipped);
            } catch (DataException e) {
                skipped.add(e.getMessage());
            }
        }
        if (!skipped.isEmpty()) {
            throw new DataException("no valid checkpoint in " + dir + " to resume from: " + String.join("; ", skipped)
                    + ". Move the folder away to start the run over.");
        }
        return null;
    }

    private static final long MAX_RECORD = 64L << 20;      // a record of 100,000 epochs is ~15 MB
    private static final long MAX_HEADER = 1L << 20;       // a tensors file's header beyond its floats

    private static Loaded restore(Path record, List<Slot> slots, List<String> skipped) {
        Path tensorsFile = tensorsOf(record);
        Map<String, Object> rec = JsonFiles.parseObject(text(record), record.toString());
        if (!FORMAT.equals(rec.get("format"))) throw new DataException(record + ": not a " + FORMAT + " record");
        State st = state(record, rec);
        if (!(rec.get("config") instanceof Map<?, ?> cfg)) throw new DataException(record + ": 'config' missing or not an object");
        if (!(rec.get("sha256") instanceof String sha)) throw new DataException(record + ": 'sha256' missing or not a string");

        long floats = 0;
        for (Slot s : slots) floats += s.into().length;
        byte[] bytes;
        try {
            if (!Files.isRegularFile(tensorsFile)) throw new DataException(record + ": its tensors file " + tensorsFile.getFileName() + " is missing");
            long size = Files.size(tensorsFile);
            if (size > 4 * floats + MAX_HEADER) {
                throw new DataException(tensorsFile + ": " + size + " bytes, more than the " + 4 * floats + " bytes of values this model's checkpoint holds (corrupt, or of another model)");
            }
            bytes = Files.readAllBytes(tensorsFile);
        } catch (IOException e) {
            throw new DataException(tensorsFile + ": cannot read (" + DataException.shown(e.getMessage(), 200) + ")");
        }
        if (!AtomicFiles.sha256(bytes).equals(sha)) throw new DataException(tensorsFile + ": SHA-256 does not match its record (corrupt or truncated)");
        SafeTensors.Contents c = SafeTensors.decode(bytes, tensorsFile.toString());
        List<float[]> values = new ArrayList<>();
        for (Slot s : slots) {
            SafeTensors.Entry e = c.get(s.name());
            if (e == null) throw new DataException(tensorsFile + ": tensor " + s.name() + " is missing (a checkpoint of another model?)");
            if (e.data().length != s.into().length) {
                throw new DataException(tensorsFile + ": tensor " + s.name() + " has " + e.data().length + " values, the model needs " + s.into().length);
            }
            values.add(e.data());
        }
        for (int i = 0; i < slots.size(); i++) System.arraycopy(values.get(i), 0, slots.get(i).into(), 0, values.get(i).length);
        @SuppressWarnings("unchecked") Map<String, Object> config = (Map<String, Object>) cfg;
        return new Loaded(st, config, record, skipped);
    }

    private static String text(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_RECORD) throw new DataException(file + ": " + size + " bytes, too large for a checkpoint record");
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DataException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + DataException.shown(e.getMessage(), 200) + ")");
        }
    }

    // Where the record says training stands, checked: counts >= 0, sums finite, and one history
    // row for each finished epoch, numbered 1, 2, ...
    private static State state(Path record, Map<String, Object> rec) {
        int epoch = (int) count(record, rec, "epoch", Integer.MAX_VALUE), step = (int) count(record, rec, "step", Integer.MAX_VALUE);
        double lossSum = decimal(record, rec.get("loss_sum"), "loss_sum");
        double trainSeconds = rec.get("train_seconds") instanceof Number n ? n.doubleValue() : Double.NaN;
        if (!(trainSeconds >= 0) || Double.isInfinite(trainSeconds)) throw new DataException(record + ": 'train_seconds' missing or not a number >= 0");
        List<History.Row> history = History.fromMaps(rec.get("history"), record.toString());
        if (history.size() != epoch) throw new DataException(record + ": " + history.size() + " history rows for " + epoch + " finished epochs");
        return new State(epoch, step, lossSum, count(record, rec, "optimizer_steps", Long.MAX_VALUE), history, trainSeconds,
                count(record, rec, "train_views", Long.MAX_VALUE));
    }

    private static long count(Path record, Map<String, Object> rec, String key, long max) {
        if (rec.get(key) instanceof Long n && n >= 0 && n <= max) return n;
        throw new DataException(record + ": '" + key + "' missing or not a whole number in [0, " + max + "]");
    }

    // A double written as text (Double.toString, so that it round-trips), finite.
    static double decimal(Path record, Object v, String key) {
        if (v instanceof String s && s.length() < 40) {
            try {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new DataException(record + ": '" + key + "' is " + DataException.shown(v) + ", not a finite number as text");
    }
}
