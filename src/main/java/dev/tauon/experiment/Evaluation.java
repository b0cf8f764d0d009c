package dev.tauon.experiment;

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.backend.ActiveBackend;
import dev.tauon.data.Dataset;
import dev.tauon.data.Datasets;
import dev.tauon.loss.MemoryBank;
import dev.tauon.metrics.Alignment;
import dev.tauon.metrics.HardnessProfile;
import dev.tauon.metrics.KnnClassifier;
import dev.tauon.metrics.LinearProbe;
import dev.tauon.metrics.SimilarityRanks;
import dev.tauon.metrics.Tolerance;
import dev.tauon.metrics.Uniformity;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

// The evaluation of a trained run (docs/paper.md §3-4) on clean, unaugmented images with batch norm
// in evaluation mode: weighted kNN on z, a linear probe on the backbone's h, uniformity,
// tolerance, alignment and similarity ranks over two augmented views of each test image, the
// hardness profile at the run's τ, and two baselines. Every parameter goes into metrics.json.
public final class Evaluation {
    static final int BATCH = 500;            // images per forward pass (fixed: results never depend on it)
    static final int HARDNESS_ANCHORS = 1000;
    static final int BINS = 40;              // hardness profile bins over s in [-1, 1]
    static final double RIDGE_LAMBDA = 1e-3;

    // The forward passes' buffers (~300 MB at batch 500), kept across calls: a new Workspace per
    // embedding left that much garbage each time, and the heap grew to gigabytes in a sweep.
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    // h: (n, features), z: (n, dim) with unit rows
    public record Embeddings(float[] h, float[] z, int n) {}

    private Evaluation() {}

    // Embeds every image of data (augment null: clean; else view `view` drawn from rng).
    public static Embeddings embed(Model model, Dataset data, Dataset.ChannelStats stats, dev.tauon.data.Augment augment, Rng rng, int view) {
        int n = data.n(), s = data.sampleSize();
        float[] h = new float[n * model.features], z = new float[n * model.dim];
        Views views = new Views(data, augment, stats, rng);
        float[] x = new float[Math.min(BATCH, n) * s];
        Workspace ws = WORKSPACE.get();
        model.setTraining(false);
        try (var off = Grad.off()) {
            for (int lo = 0; lo < n; lo += BATCH) {
                int m = Math.min(BATCH, n - lo);
                int[] idx = new int[m];
                for (int j = 0; j < m; j++) idx[j] = lo + j;
                float[] xm = m * s == x.length ? x : new float[m * s];     // the last, shorter batch
                views.fill(idx, m, 1, view, xm);
                try (var step = Workspace.step(ws)) {
                    Model.Output out = model.forward(Var.constant(Tensor.of(xm, m, data.c(), data.h(), data.w())));
                    System.arraycopy(out.h().data(), 0, h, lo * model.features, m * model.features);
                    System.arraycopy(out.z().data(), 0, z, lo * model.dim, m * model.dim);
                }
            }
        } finally {
            model.setTraining(true);
        }
        return new Embeddings(h, z, n);
    }

    // The kNN monitor: test z against the memory bank (bank setting, as the paper) or the clean
    // training embeddings (SimCLR setting).
    static double monitor(Model model, Dataset train, Dataset test, Dataset.ChannelStats stats, MemoryBank bank) {
        Embeddings te = embed(model, test, stats, null, null, 0);
        float[] ref = bank != null ? bank.data() : embed(model, train, stats, null, null, 0).z();
        int[] pred = KnnClassifier.predict(te.z(), test.n(), ref, train.n(), train.labels(), train.classes(), model.dim, KnnClassifier.Config.paper());
        return KnnClassifier.accuracy(pred, test.labels());
    }

    // The final evaluation as metrics.json's fields (docs/run-format.md), in order.
    static Map<String, Object> evaluate(RunConfig cfg, Model model, Datasets.Split data, Dataset.ChannelStats stats, Rng rng,
                                        Map<String, Object> baselines) {
        Dataset train = data.train(), test = data.test();
        int d = model.dim, nt = test.n(), classes = train.classes();
        Embeddings tr = embed(model, train, stats, null, null, 0), te = embed(model, test, stats, null, null, 0);
        Map<String, Object> m = new LinkedHashMap<>();
        KnnClassifier.Config knnCfg = KnnClassifier.Config.paper();
        int[] pred = KnnClassifier.predict(te.z(), nt, tr.z(), train.n(), train.labels(), classes, d, knnCfg);
        m.put("knn_accuracy", KnnClassifier.accuracy(pred, test.labels()));
        LinearProbe.Result probe = probe(cfg, tr.h(), train.labels(), te.h(), test.labels(), model.features, classes);
        m.put("linear_accuracy", probe.testAccuracy());
        m.put("linear_train_accuracy", probe.trainAccuracy());
        m.put("uniformity", Uniformity.of(te.z(), nt, d));
        int[] self = new int[nt];
        for (int i = 0; i < nt; i++) self[i] = i;
        m.put("tolerance", Tolerance.of(te.z(), nt, test.labels(), self, te.z(), nt, test.labels(), d));

        Rng viewRng = rng.split(Pretrain.EVAL_VIEWS);
        float[] za = embed(model, test, stats, cfg.augment().toAugment(), viewRng, 0).z(), zb = embed(model, test, stats, cfg.augment().toAugment(), viewRng, 1).z();
        m.put("alignment", Alignment.of(za, zb, nt, d));
        double pos = 0;
        for (int i = 0; i < nt; i++) pos += dev.tauon.kernel.Kernels.dot(za, i * d, zb, i * d, d);
        m.put("pos_similarity", pos / nt);
        int[] diag = self.clone();
        SimilarityRanks ranks = SimilarityRanks.of(za, nt, zb, nt, d, diag, null, 10);
        Map<String, Object> boxes = new LinkedHashMap<>();
        for (SimilarityRanks.Box bx : ranks.boxes()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("min", bx.min());
            b.put("q1", bx.q1());
            b.put("median", bx.median());
            b.put("q3", bx.q3());
            b.put("max", bx.max());
            b.put("mean", bx.mean());
            boxes.put(bx.name(), b);
        }
        m.put("neg1_similarity", ((Map<?, ?>) boxes.get("n1")).get("mean"));
        m.put("neg10_similarity", ((Map<?, ?>) boxes.get("n10")).get("mean"));
        Map<String, Object> profile = cfg.tau() == null ? null : hardness(za, zb, nt, d, cfg.tau());
        m.put("hardness_entropy", profile == null ? null : profile.remove("entropy"));
        m.put("hardness_top10_share", profile == null ? null : profile.remove("top10_share"));
        m.put("ranks", boxes);
        m.put("hardness_profile", profile);
        m.put("baselines", baselines);
        m.put("parameters", parameters(cfg, model, train, test));
        return m;
    }

    static LinearProbe.Result probe(RunConfig cfg, float[] trainH, int[] trainY, float[] testH, int[] testY, int features, int classes) {
        return cfg.probe().equals("ridge")
                ? LinearProbe.ridge(trainH, trainY, testH, testY, features, classes, RIDGE_LAMBDA)
                : Probe.sgd(trainH, trainY, testH, testY, features, classes, Probe.Config.paper(cfg.probeEpochs(), cfg.seed()));
    }

    // Mean H(r_i) and top-10 share over the first HARDNESS_ANCHORS anchors (view a against the
    // second views, positive on the diagonal), and r_ij binned by s_ij: the paper's Fig. 2.
    static Map<String, Object> hardness(float[] za, float[] zb, int n, int d, double tau) {
        int na = Math.min(HARDNESS_ANCHORS, n);
        float[] s = new float[na * n];
        ActiveBackend.get().gemm(s, 0, n, za, 0, d, false, zb, 0, d, true, na, n, d, 1f, 0f);
        double entropy = 0, share = 0;
        double[] rSum = new double[BINS];
        long[] count = new long[BINS];
        for (int i = 0; i < na; i++) {
            HardnessProfile p = HardnessProfile.of(s, i * n, n, i, -1, tau, 10);
            entropy += p.entropy();
            share += p.topShare();
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                int bin = Math.clamp((int) Math.floor((s[i * n + j] + 1) / 2 * BINS), 0, BINS - 1);
                rSum[bin] += p.r()[j];
                count[bin]++;
            }
        }
        double[] centre = new double[BINS], mean = new double[BINS];
        long[] c = count;
        for (int k = 0; k < BINS; k++) {
            centre[k] = -1 + (k + 0.5) * 2.0 / BINS;
            mean[k] = c[k] == 0 ? Double.NaN : rSum[k] / c[k];
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entropy", entropy / na);
        m.put("top10_share", share / na);
        m.put("tau", tau);
        m.put("anchors", na);
        m.put("s", centre);
        m.put("r", mean);
        java.util.List<Object> counts = new java.util.ArrayList<>();
        for (long v : c) counts.add(v);
        m.put("count", counts);
        return m;
    }

    // Raw-pixel kNN and the untrained network's kNN and linear probe (same architecture and
    // initialisation as the run), so a user sees whether pretraining beat them.
    static Map<String, Object> baselines(RunConfig cfg, Datasets.Split data, Dataset.ChannelStats stats, Rng rng) {
        Dataset train = data.train(), test = data.test();
        int s = train.sampleSize();
        Map<String, Object> m = new LinkedHashMap<>();
        float[] xtr = train.images().clone(), xte = test.images().clone();
        int hw = train.h() * train.w();
        for (int i = 0; i < train.n(); i++) stats.normalize(xtr, i * s, hw);
        for (int i = 0; i < test.n(); i++) stats.normalize(xte, i * s, hw);
        int[] pred = KnnClassifier.predict(xte, test.n(), xtr, train.n(), train.labels(), train.classes(), s, KnnClassifier.Config.paper());
        m.put("raw_pixel_knn", KnnClassifier.accuracy(pred, test.labels()));
        Model fresh = new Model(cfg, train.c(), rng.split(Pretrain.MODEL));
        Embeddings tr = embed(fresh, train, stats, null, null, 0), te = embed(fresh, test, stats, null, null, 0);
        pred = KnnClassifier.predict(te.z(), test.n(), tr.z(), train.n(), train.labels(), train.classes(), fresh.dim, KnnClassifier.Config.paper());
        m.put("untrained_knn", KnnClassifier.accuracy(pred, test.labels()));
        m.put("untrained_linear", probe(cfg, tr.h(), train.labels(), te.h(), test.labels(), fresh.features, train.classes()).testAccuracy());
        return m;
    }

    private static Map<String, Object> parameters(RunConfig cfg, Model model, Dataset train, Dataset test) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("splits", ordered("train", train.name() + " (" + train.n() + " images)", "test", test.name() + " (" + test.n() + " images)"));
        p.put("knn", ordered("k", 200, "sigma", 0.07, "weighted", true, "embedding", "z (" + model.dim + "-d, unit norm)",
                "queries", "test, clean", "bank", "train, clean"));
        p.put("linear", cfg.probe().equals("ridge")
                ? ordered("probe", "ridge", "lambda", RIDGE_LAMBDA, "features", "h (backbone, " + model.features + "-d)", "train", "train, clean", "test", "test, clean")
                : ordered("probe", "sgd", "features", "h (backbone, " + model.features + "-d)", "epochs", cfg.probeEpochs(), "lr", 30.0,
                "momentum", 0.9, "weight_decay", 0.0, "batch", 256, "schedule", "x0.2 at 40/60/80% of the epochs"));
        p.put("uniformity", ordered("t", 2.0, "embedding", "z", "split", "test, clean", "reported", "-L_unif"));
        p.put("tolerance", ordered("embedding", "z", "split", "test, clean", "pairs", "same class, self excluded"));
        p.put("alignment", ordered("alpha", 2, "views", "two augmented views of each test image (the run's augmentation)"));
        p.put("ranks", ordered("anchors", "view 1 of each test image", "positive", "its view 2", "negatives", "the other test images' view 2", "count", 10));
        p.put("hardness", ordered("tau", cfg.tau(), "anchors", "view 1 of the first " + Math.min(HARDNESS_ANCHORS, test.n()) + " test images",
                "negatives", "the other test images' view 2", "top", 10, "bins", BINS));
        p.put("baselines", ordered("raw_pixel_knn", "kNN (k 200, sigma 0.07) on normalised pixels", "untrained", "the run's network at its initialisation"));
        return p;
    }

    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
