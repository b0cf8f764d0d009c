package dev.tauon.experiment;

import dev.tauon.data.AtomicFiles;
import dev.tauon.data.DataException;
import dev.tauon.data.Dataset;
import dev.tauon.data.Datasets;
import dev.tauon.data.Npy;
import dev.tauon.data.SafeTensors;
import dev.tauon.nn.Parameter;
import dev.tauon.tensor.Rng;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// One run from configuration to finished folder: load the data, resolve the configuration,
// train (or resume), evaluate, write weights, embeddings, metrics and DONE. `tauon pretrain`,
// `tauon sweep` and `tauon demo` all go through here.
public final class RunJob {
    // detectAnomaly: Pretrain's per-op NaN/Inf check (results are the same with it).
    public record Options(Path runs, String name, boolean resume, double checkpointMinutes, boolean detectAnomaly) {
        public Options(Path runs, String name, boolean resume, double checkpointMinutes) { this(runs, name, resume, checkpointMinutes, false); }
    }

    public record Outcome(RunFolder folder, RunConfig config, Map<String, Object> metrics, boolean alreadyDone) {}

    private RunJob() {}

    // The dataset a configuration names (its default when none), cut by its limit: the first N
    // images of each split in a class-balanced order.
    public static Datasets.Split loadData(RunConfig cfg) {
        String name = cfg.dataset() != null ? cfg.dataset() : Datasets.defaultName();
        Datasets.Split s = Datasets.load(name, cfg.dataDir() == null ? null : Path.of(cfg.dataDir()));
        if (cfg.limit() == null) return s;
        return new Datasets.Split(s.train().balancedHead(Math.min(cfg.limit(), s.train().n())),
                s.test().balancedHead(Math.min(cfg.limit(), s.test().n())));
    }

    public static String datasetName(RunConfig cfg) { return cfg.dataset() != null ? cfg.dataset() : Datasets.defaultName(); }

    public static Outcome execute(RunConfig raw, Options o, Pretrain.Listener listener) throws IOException {
        Datasets.Split data = loadData(raw);
        RunConfig cfg = raw.resolve(datasetName(raw), data.train().n(), data.train().c());
        RunFolder folder = RunFolder.of(o.runs(), o.name() != null ? o.name() : cfg.defaultName());
        Map<String, Object> existing = Files.isDirectory(folder.dir()) ? folder.readConfig() : null;
        if (existing != null) {
            if (!o.resume()) {
                throw new DataException(folder.dir() + " already holds a run; pass --resume to continue it, or choose another --name");
            }
            List<String> diff = RunConfig.differences(existing, cfg.toMap(), "");
            if (!diff.isEmpty()) throw new DataException("--resume: " + folder.config() + " differs from this configuration in " + String.join("; ", diff));
            if (folder.isDone()) {
                Map<String, Object> metrics = JsonFiles.parseObject(Files.readString(folder.metrics(), StandardCharsets.UTF_8), folder.metrics().toString());
                return new Outcome(folder, cfg, metrics, true);
            }
        } else if (Files.isDirectory(folder.dir()) && !o.resume() && hasFiles(folder.dir())) {
            throw new DataException(folder.dir() + " exists and is not empty; choose another --name");
        }
        folder.create();
        int stale = AtomicFiles.removeTemporaries(folder.dir());      // left by a kill while an output was written
        folder.writeConfig(cfg);
        folder.log("run " + cfg.id() + " on " + data.train().name() + " (" + data.train().n() + " train, " + data.test().n() + " test), "
                + dev.tauon.kernel.Parallel.threads() + " threads, tauon " + Version.name()
                + (stale > 0 ? "; removed " + stale + " temporary file(s) left by an interrupted write" : ""));
        try {
            return trainAndEvaluate(cfg, data, folder, o, listener);
        } catch (Stop.Stopped e) {
            if (e.exitCode() < 128) logFailure(folder, e);
            throw e;
        } catch (RuntimeException | IOException e) {
            logFailure(folder, e);
            throw e;
        } catch (OutOfMemoryError e) {   // its reason in the log too (`sweep status` shows it); Main prints the advice
            folder.log("failed: out of memory (" + e.getMessage() + ")");
            throw e;
        }
    }

    // On a full disk the log line may not fit either; the error being reported matters more.
    private static void logFailure(RunFolder folder, Exception e) {
        try {
            folder.log("failed: " + e.getMessage());
        } catch (java.io.UncheckedIOException logError) {
            e.addSuppressed(logError);
        }
    }

    private static Outcome trainAndEvaluate(RunConfig cfg, Datasets.Split data, RunFolder folder, Options o, Pretrain.Listener listener) throws IOException {
        Pretrain.Trained trained = Pretrain.run(cfg, data, folder, o.resume(), o.checkpointMinutes(), o.detectAnomaly(), listener);
        if (Stop.requested()) {
            folder.log("stopped by a signal after training, before the final evaluation; checkpoint written");
            throw Stop.stopped("stopped before the final evaluation; --resume runs it");
        }
        long t0 = System.nanoTime();
        Rng rng = Rng.seeded(cfg.seed());
        listener.note("baselines (raw-pixel kNN, untrained network)");
        Map<String, Object> baselines = baselines(cfg, data, trained.stats(), rng, o.runs().resolve(".cache"));
        listener.note("evaluating on " + data.test().name() + " (" + data.test().n() + " images)");
        Map<String, Object> eval = Evaluation.evaluate(cfg, trained.model(), data, trained.stats(), rng, baselines);
        if (Stop.requested()) {
            folder.log("stopped by a signal during the final evaluation; --resume runs it again");
            throw Stop.stopped("stopped during the final evaluation; --resume runs it again");
        }

        // wall clock: every epoch (monitor included) plus this final evaluation
        double seconds = trained.history().stream().mapToDouble(History.Row::seconds).sum() + (System.nanoTime() - t0) * 1e-9;
        Map<String, Object> m = metrics(cfg, folder, eval, seconds, trained.trainSeconds(),
                trained.trainSeconds() > 0 ? trained.trainViews() / trained.trainSeconds() : 0.0);
        writeOutputs(folder, cfg, trained.model(), data, trained.stats(), m);
        folder.log(String.format("done: kNN %.2f%%, linear %.2f%%, -L_unif %.3f, tolerance %.3f", 100 * (double) m.get("knn_accuracy"),
                100 * (double) m.get("linear_accuracy"), (double) m.get("uniformity"), (double) m.get("tolerance")));
        return new Outcome(folder, cfg, m, false);
    }

    // metrics.json's fields in the order of docs/run-format.md.
    static Map<String, Object> metrics(RunConfig cfg, RunFolder folder, Map<String, Object> eval, double seconds, Double trainSeconds, Double viewsPerS) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", cfg.id());
        m.put("name", folder.dir().getFileName().toString());
        m.put("tauon_version", Version.name());
        m.put("dataset", cfg.dataset());
        m.put("setting", cfg.setting());
        m.put("loss", cfg.loss());
        m.put("tau", cfg.tau());
        m.put("k", cfg.k());
        m.put("seed", cfg.seed());
        m.put("epochs", cfg.epochs());
        for (var e : eval.entrySet()) {
            if (e.getKey().equals("ranks")) {
                m.put("seconds", seconds);
                m.put("train_seconds", trainSeconds);
                m.put("views_per_s", viewsPerS);
            }
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    // `tauon eval`: the evaluation of a saved run again, into RUN_DIR/eval.json.
    public static Map<String, Object> evaluateSaved(RunConfig cfg, RunFolder folder, Path cacheDir) throws IOException {
        long t0 = System.nanoTime();
        Datasets.Split data = loadData(cfg);
        Rng rng = Rng.seeded(cfg.seed());
        Model model = new Model(cfg, data.train().c(), rng.split(Pretrain.MODEL));
        readWeights(folder.weights(), model);
        Dataset.ChannelStats stats = data.train().channelStats();
        Map<String, Object> baselines = baselines(cfg, data, stats, rng, cacheDir);
        Map<String, Object> eval = Evaluation.evaluate(cfg, model, data, stats, rng, baselines);
        Map<String, Object> m = metrics(cfg, folder, eval, (System.nanoTime() - t0) * 1e-9, null, null);
        AtomicFiles.writeString(folder.dir().resolve("eval.json"), JsonFiles.write(m, true));
        return m;
    }

    private static boolean hasFiles(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    // weights.safetensors, embeddings.npy, labels.npy, metrics.json, then DONE: each atomic, DONE last.
    static void writeOutputs(RunFolder folder, RunConfig cfg, Model model, Datasets.Split data, Dataset.ChannelStats stats,
                             Map<String, Object> metrics) throws IOException {
        writeWeights(folder.weights(), cfg, model);
        Evaluation.Embeddings te = Evaluation.embed(model, data.test(), stats, null, null, 0);
        Npy.write(folder.embeddings(), te.z(), data.test().n(), model.dim);
        Npy.writeInts(folder.labels(), data.test().labels(), data.test().n());
        AtomicFiles.writeString(folder.metrics(), JsonFiles.write(metrics, true));
        AtomicFiles.writeString(folder.done(), "run " + cfg.id() + " finished\n");
    }

    public static void writeWeights(Path file, RunConfig cfg, Model model) throws IOException {
        List<SafeTensors.Entry> tensors = new ArrayList<>();
        for (Parameter p : model.state()) tensors.add(new SafeTensors.Entry(p.name(), p.value().shape().dims(), p.data()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("producer", "tauon " + Version.name());
        meta.put("run_id", cfg.id());
        meta.put("config", cfg.canonicalJson());
        AtomicFiles.write(file, SafeTensors.encode(meta, tensors));
    }

    // The model's weights and statistics from a weights file (names and shapes must match).
    public static void readWeights(Path file, Model model) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        for (Parameter p : model.state()) {
            SafeTensors.Entry e = c.get(p.name());
            if (e == null) throw new DataException(file + ": tensor " + p.name() + " is missing (weights of another model?)");
            if (e.data().length != p.data().length) throw new DataException(file + ": tensor " + p.name() + " has " + e.data().length + " values, the model needs " + p.data().length);
            System.arraycopy(e.data(), 0, p.data(), 0, e.data().length);
        }
    }

    // Baselines depend on the data, the architecture, the seed (its initialisation) and the probe;
    // computed once and cached in the runs folder's .cache.
    static Map<String, Object> baselines(RunConfig cfg, Datasets.Split data, Dataset.ChannelStats stats, Rng rng, Path cacheDir) throws IOException {
        Map<String, Object> key = Evaluation.ordered("dataset", cfg.dataset(), "data_dir", cfg.dataDir(), "limit", cfg.limit(), "model", cfg.model(),
                "head", cfg.head(), "dim", cfg.dim(), "seed", cfg.seed(), "probe", cfg.probe(), "probe_epochs", cfg.probeEpochs(), "backend", cfg.backend());
        String hash = AtomicFiles.sha256(JsonFiles.write(key, false).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path file = cacheDir.resolve("baselines-" + hash + ".json");
        if (Files.isRegularFile(file)) {
            try {
                Map<String, Object> m = JsonFiles.parseObject(Files.readString(file, StandardCharsets.UTF_8), file.toString());
                if (m.get("key") != null && m.get("values") instanceof Map<?, ?> v) {
                    @SuppressWarnings("unchecked") Map<String, Object> values = (Map<String, Object>) v;
                    return values;
                }
            } catch (DataException e) {
                // a damaged cache is recomputed
            }
        }
        Map<String, Object> values = Evaluation.baselines(cfg, data, stats, rng);
        Files.createDirectories(cacheDir);
        AtomicFiles.writeString(file, JsonFiles.write(Evaluation.ordered("key", key, "values", values), true));
        return values;
    }
}
