package dev.tauon.cli;

import dev.tauon.backend.ActiveBackend;
import dev.tauon.backend.CpuBackend;
import dev.tauon.data.DataException;
import dev.tauon.data.Datasets;
import dev.tauon.experiment.RunConfig;
import dev.tauon.experiment.RunJob;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

// The flags that make a RunConfig, shared by pretrain and sweep. Every flag is null unless
// given, so that defaults < YAML file < flags; the help shows the defaults and why.
final class RunOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "a YAML file of settings (keys as the flags, e.g. 'loss: hard', 'tau: 0.5'); flags override it")
    Path config;

    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist, fashion-mnist-small (embedded 6,000/1,000-image subset), mnist or cifar10 "
            + "(default: fashion-mnist when installed, else fashion-mnist-small)")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "folder with the dataset's files (fashion-mnist: /usr/share/datasets/fashion-mnist by default)")
    String data;

    @Option(names = "--limit", paramLabel = "N", description = "use the first N images of each split, class-balanced (quick runs)")
    Integer limit;

    @Option(names = "--setting", paramLabel = "S", description = "simclr (two views, in-batch negatives; learns fast) or bank (the paper's: one view, "
            + "a memory bank of all training images, momentum 0.5) (default: simclr)")
    String setting;

    @Option(names = "--loss", paramLabel = "L", description = "infonce, hard (top-K negatives), simple (no hardness awareness), hardsimple, dcl or dclw (default: infonce)")
    String loss;

    @Option(names = "--tau", paramLabel = "T", description = "temperature; ignored by simple and hardsimple (default: 0.2, near the paper's best)")
    Double tau;

    @Option(names = "--k", paramLabel = "K", description = "negatives kept by hard and hardsimple (default: 8%% of the negatives, as the paper's 4095 of 50,000)")
    Integer k;

    @Option(names = "--model", paramLabel = "M", description = "smallconvnet (5 convs, 128-d features) or resnet18 (CIFAR variant, 512-d) (default: smallconvnet)")
    String model;

    @Option(names = "--head", paramLabel = "H", description = "linear (the paper's) or mlp (default: linear)")
    String head;

    @Option(names = "--dim", paramLabel = "D", description = "embedding dimension (default: 128, the paper's)")
    Integer dim;

    @Option(names = "--optimizer", paramLabel = "O", description = "sgd, lars or adamw (default: sgd with momentum)")
    String optimizer;

    @Option(names = "--lr", paramLabel = "LR", description = "peak learning rate (default: 0.5: with the cosine schedule it learns fastest of those measured, see docs/pretraining.md)")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD/LARS momentum (default: 0.9)")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "weight decay (default: 5e-4, the paper's)")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "S", description = "cosine, or step (the paper's x0.1 at 80%% and 95%% of the epochs) (default: cosine: better at few epochs)")
    String schedule;

    @Option(names = "--warmup-epochs", paramLabel = "E", description = "linear learning-rate warm-up, fractions allowed (default: 0)")
    Double warmupEpochs;

    @Option(names = "--epochs", paramLabel = "E", description = "training epochs (default: 10)")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "images per step (SimCLR: 2B views) (default: 256)")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S", description = "random seed; the same seed gives the same bits (default: 0)")
    Long seed;

    @Option(names = "--bank-momentum", paramLabel = "M", description = "memory-bank momentum (default: 0.5, the paper's)")
    Double bankMomentum;

    @Option(names = "--eval-every", paramLabel = "E", description = "the kNN monitor every E epochs, logged to history.csv; 0: only at the end (default: 1)")
    Integer evalEvery;

    @Option(names = "--probe", paramLabel = "P", description = "linear probe: sgd (the paper's recipe) or ridge (closed form, fast) (default: sgd)")
    String probe;

    @Option(names = "--probe-epochs", paramLabel = "E", description = "epochs of the SGD probe (default: 30; the paper: 100)")
    Integer probeEpochs;

    @Option(names = "--no-augment", description = "no augmentation at all (crop, flip and jitter off)")
    boolean noAugment;

    @Option(names = "--no-crop", description = "no random resized crop")
    boolean noCrop;

    @Option(names = "--crop-scale", paramLabel = "MIN", description = "smallest crop area, as a fraction of the image (default: 0.2)")
    Double cropScale;

    @Option(names = "--flip", paramLabel = "P", description = "horizontal flip probability (default: 0.5)")
    Double flip;

    @Option(names = "--brightness", paramLabel = "J", description = "brightness jitter (default: 0.4)")
    Double brightness;

    @Option(names = "--contrast", paramLabel = "J", description = "contrast jitter (default: 0.4)")
    Double contrast;

    @Option(names = "--saturation", paramLabel = "J", description = "saturation jitter, RGB only (default: 0.4)")
    Double saturation;

    @Option(names = "--hue", paramLabel = "J", description = "hue jitter, RGB only (default: 0.4)")
    Double hue;

    @Option(names = "--grayscale", paramLabel = "P", description = "random grayscale probability, RGB only (default: 0.2)")
    Double grayscale;

    @Option(names = "--backend", paramLabel = "B", description = "where matrix products run: cpu (bit-reproducible), auto or cuda (GPU results are not bit-identical) (default: cpu)")
    String backend;

    // The settings given by flags, as RunConfig keys.
    Map<String, Object> flags() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "dataset", dataset);
        put(m, "data_dir", data == null ? null : Path.of(data).toAbsolutePath().normalize().toString());
        put(m, "limit", limit);
        put(m, "setting", setting);
        put(m, "loss", loss);
        put(m, "tau", tau);
        put(m, "k", k);
        put(m, "model", model);
        put(m, "head", head);
        put(m, "dim", dim);
        put(m, "optimizer", optimizer);
        put(m, "lr", lr);
        put(m, "momentum", momentum);
        put(m, "weight_decay", weightDecay);
        put(m, "schedule", schedule);
        put(m, "warmup_epochs", warmupEpochs);
        put(m, "epochs", epochs);
        put(m, "batch", batch);
        put(m, "seed", seed);
        put(m, "bank_momentum", bankMomentum);
        put(m, "eval_every", evalEvery);
        put(m, "probe", probe);
        put(m, "probe_epochs", probeEpochs);
        if (noAugment) {
            m.put("augment.crop", false);
            m.put("augment.flip", 0.0);
            m.put("augment.brightness", 0.0);
            m.put("augment.contrast", 0.0);
            m.put("augment.saturation", 0.0);
            m.put("augment.hue", 0.0);
            m.put("augment.grayscale", 0.0);
        }
        if (noCrop) m.put("augment.crop", false);
        put(m, "augment.crop_scale_min", cropScale);
        put(m, "augment.flip", flip);
        put(m, "augment.brightness", brightness);
        put(m, "augment.contrast", contrast);
        put(m, "augment.saturation", saturation);
        put(m, "augment.hue", hue);
        put(m, "augment.grayscale", grayscale);
        put(m, "backend", backend);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object v) { if (v != null) m.put(key, v); }

    // Defaults, then the YAML file, then the flags given.
    RunConfig config() {
        return config(config, config == null ? null : readYaml(config), flags());
    }

    // Errors name the file when the settings came from it alone.
    static RunConfig config(Path file, Map<String, Object> yaml, Map<String, Object> flags) {
        Map<String, Object> m = RunConfig.defaults();
        if (file != null) m = RunConfig.merge(m, yaml, file.toString());
        String source = file == null ? "flags" : flags.isEmpty() ? file.toString() : file + " with the flags";
        return RunConfig.fromMap(RunConfig.merge(m, flags, "flags"), source);
    }

    static Map<String, Object> readYaml(Path file) { return YamlSettings.read(file); }

    static Map<String, Object> readYaml(Path file, byte[] bytes) { return YamlSettings.read(file, bytes); }

    // Routes the ops' products to the configured backend until closed.
    static BackendOption.Scope backendScope(String backend) {
        BackendOption b = new BackendOption();
        b.backend = backend;
        return backend.equals("cpu") ? () -> ActiveBackend.use(CpuBackend.INSTANCE) : b.useForOps();
    }

    // The first line of a run: the dataset and why, the setting, loss and backend.
    static String describe(RunConfig c) {
        String ds = RunJob.datasetName(c);
        String why = c.dataset() != null ? "" : ds.equals("fashion-mnist") ? " (default: found in " + Datasets.FASHION_MNIST_DIR + ")"
                : " (default: the embedded subset; install dataset-fashion-mnist for the full set)";
        return String.format("dataset %s%s; setting %s, loss %s%s%s; %s, %d epochs, batch %d, seed %d; backend %s%s", ds, why, c.setting(), c.loss(),
                c.usesTau() ? ", tau " + c.tau() : "", c.usesK() && c.k() != null ? ", K " + c.k() : "", c.model(), c.epochs(), c.batch(), c.seed(),
                c.backend(), c.backend().equals("cpu") ? " (bit-reproducible)" : " (GPU results are not bit-identical)");
    }
}
