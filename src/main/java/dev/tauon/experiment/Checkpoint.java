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

    // Removes all but the KEEP newest checkpoints. A tensors file without its record (a crash
    // between the two writes) is never read, and is replaced when its checkpoint is written again.
    private static void prune(Path dir) throws IOException {
        List<Path> recs = records(dir);
        for (int i = KEEP; i < recs.size(); i++) {
            Files.deleteIfExists(tensorsOf(recs.get(i)));
            Files.deleteIfExists(recs.get(i));
        }
    }

    private static Path tensorsOf(Path record) {
        String n = record.getFileName().toString();
        return record.resolveSibling(n.substring(0, n.length() - 5) + ".safetensors");
    }

    // The newest valid checkpoint, restored into model, opt and bank; null when dir holds none at
    // all. Invalid ones (unreadable, hash mismatch, wrong shapes) are skipped and named; when
    // checkpoints exist but none is valid, that is an error: nothing is overwritten.
    public static Loaded restoreNewest(Path dir, Model model, Optimizer opt, MemoryBank bank) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Path record : records(dir)) {
            try {
                return restore(record, model, opt, bank, skipped);
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

    @SuppressWarnings("unchecked")
    private static Loaded restore(Path record, Model model, Optimizer opt, MemoryBank bank, List<String> skipped) throws IOException {
        Map<String, Object> rec = JsonFiles.parseObject(Files.readString(record, StandardCharsets.UTF_8), record.toString());
        if (!FORMAT.equals(rec.get("format"))) throw new DataException(record + ": not a " + FORMAT + " record");
        Path tensorsFile = tensorsOf(record);
        if (!Files.isRegularFile(tensorsFile)) throw new DataException(record + ": its tensors file " + tensorsFile.getFileName() + " is missing");
        byte[] bytes = Files.readAllBytes(tensorsFile);
        if (!AtomicFiles.sha256(bytes).equals(rec.get("sha256"))) throw new DataException(tensorsFile + ": SHA-256 does not match its record (corrupt or truncated)");
        SafeTensors.Contents c = SafeTensors.decode(bytes, tensorsFile.toString());
        for (Parameter p : model.state()) copy(c, "model/" + p.name(), p.data(), tensorsFile);
        List<float[]> os = opt.state();
        for (int i = 0; i < os.size(); i++) copy(c, "optim/" + i, os.get(i), tensorsFile);
        if (bank != null) {
            float[] b = new float[bank.size() * bank.dim()];
            copy(c, "bank", b, tensorsFile);
            bank.load(b);
        }
        try {
            State st = new State(num(rec, "epoch").intValue(), num(rec, "step").intValue(), Double.parseDouble((String) rec.get("loss_sum")),
                    num(rec, "optimizer_steps").longValue(), History.fromMaps((List<Object>) rec.get("history"), record.toString()),
                    num(rec, "train_seconds").doubleValue(), num(rec, "train_views").longValue());
            opt.setSteps(st.optimizerSteps());
            return new Loaded(st, (Map<String, Object>) rec.get("config"), record, skipped);
        } catch (RuntimeException e) {
            if (e instanceof DataException) throw e;
            throw new DataException(record + ": malformed record (" + e + ")");
        }
    }

    private static Number num(Map<String, Object> rec, String key) {
        if (rec.get(key) instanceof Number n) return n;
        throw new DataException("checkpoint record: '" + key + "' missing or not a number");
    }

    private static void copy(SafeTensors.Contents c, String name, float[] into, Path file) {
        SafeTensors.Entry e = c.get(name);
        if (e == null) throw new DataException(file + ": tensor " + name + " is missing (a checkpoint of another model?)");
        if (e.data().length != into.length) throw new DataException(file + ": tensor " + name + " has " + e.data().length + " values, the model needs " + into.length);
        System.arraycopy(e.data(), 0, into, 0, into.length);
    }
}
