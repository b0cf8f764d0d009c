package dev.tauon.experiment;

import dev.tauon.data.Augment;
import dev.tauon.data.DataException;
import dev.tauon.loss.HardContrastive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

// One pretraining run's configuration: everything that decides its numbers (not the thread
// count, the runs folder or the name, which do not). Built from a map of snake_case keys —
// defaults, then a YAML file, then the flags given — and written resolved as canonical JSON;
// the run id is a hash of that JSON.
public record RunConfig(
        String dataset, String dataDir, Integer limit,
        String setting, String loss, Double tau, Integer k,
        String model, String head, int dim,
        String optimizer, double lr, double momentum, double weightDecay,
        String schedule, double warmupEpochs, int epochs, int batch, long seed,
        double bankMomentum, int evalEvery, Aug augment,
        String probe, int probeEpochs, String backend) {

    // The augmentation settings; saturation, hue and grayscale are null until resolved for the
    // dataset's channel count.
    public record Aug(boolean crop, double scaleMin, double scaleMax, double ratioMin, double ratioMax, double flip,
                      double brightness, double contrast, Double saturation, Double hue, Double grayscale) {
        public Augment toAugment() {
            return new Augment(scaleMin, scaleMax, ratioMin, ratioMax, crop, flip, brightness, contrast, nz(saturation), nz(hue), nz(grayscale));
        }
    }

    public static final List<String> SETTINGS = List.of("simclr", "bank");
    public static final List<String> LOSSES = List.of("infonce", "hard", "simple", "hardsimple", "dcl", "dclw");
    public static final List<String> MODELS = List.of("smallconvnet", "resnet18");
    public static final List<String> HEADS = List.of("linear", "mlp");
    public static final List<String> OPTIMIZERS = List.of("sgd", "lars", "adamw");
    public static final List<String> SCHEDULES = List.of("cosine", "step");
    public static final List<String> PROBES = List.of("sgd", "ridge");
    public static final List<String> BACKENDS = List.of("cpu", "auto", "cuda");

    // The defaults, as a map in canonical key order (see PretrainCommand's --help for why each).
    public static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", null);            // resolved: fashion-mnist when installed, else fashion-mnist-small
        m.put("data_dir", null);
        m.put("limit", null);
        m.put("setting", "simclr");
        m.put("loss", "infonce");
        m.put("tau", 0.2);
        m.put("k", null);                  // resolved: 8% of the negatives for hard / hardsimple
        m.put("model", "smallconvnet");
        m.put("head", "linear");
        m.put("dim", 128);
        m.put("optimizer", "sgd");
        m.put("lr", 0.5);
        m.put("momentum", 0.9);
        m.put("weight_decay", 5e-4);
        m.put("schedule", "cosine");
        m.put("warmup_epochs", 0.0);
        m.put("epochs", 10);
        m.put("batch", 256);
        m.put("seed", 0L);
        m.put("bank_momentum", 0.5);
        m.put("eval_every", 1);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("crop", true);
        a.put("crop_scale_min", 0.2);
        a.put("crop_scale_max", 1.0);
        a.put("ratio_min", 0.75);
        a.put("ratio_max", 4.0 / 3.0);
        a.put("flip", 0.5);
        a.put("brightness", 0.4);
        a.put("contrast", 0.4);
        a.put("saturation", null);         // resolved: 0.4 for RGB, 0 for one channel
        a.put("hue", null);                // resolved: 0.4 for RGB, 0 for one channel
        a.put("grayscale", null);          // resolved: 0.2 for RGB, 0 for one channel
        m.put("augment", a);
        m.put("probe", "sgd");
        m.put("probe_epochs", 30);
        m.put("backend", "cpu");
        return m;
    }

    // overrides (from YAML or flags; keys snake_case or kebab-case, "augment.flip" or a nested
    // "augment" map) on top of the defaults; source names where they came from in errors.
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, ?> overrides, String source) {
        Map<String, Object> m = deepCopy(base);
        for (var e : overrides.entrySet()) {
            String key = e.getKey().replace('-', '_');
            Object value = e.getValue();
            if (key.startsWith("augment.")) {
                putAugment(m, key.substring(8), value, source);
            } else if (key.equals("augment") && value instanceof Map<?, ?> am) {
                for (var ae : am.entrySet()) putAugment(m, String.valueOf(ae.getKey()).replace('-', '_'), ae.getValue(), source);
            } else if (key.equals("augment")) {
                throw new DataException(source + ": augment must be a mapping of augmentation settings (augment: {flip: 0.5, ...}), got " + DataException.shown(value));
            } else if (!m.containsKey(key)) {
                throw new DataException(source + ": unknown setting '" + DataException.shown(e.getKey()) + "' (known: " + String.join(", ", keysOf(m)) + ")");
            } else {
                m.put(key, value);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void putAugment(Map<String, Object> m, String key, Object value, String source) {
        Map<String, Object> a = (Map<String, Object>) m.get("augment");
        if (!a.containsKey(key)) throw new DataException(source + ": unknown augmentation setting '" + DataException.shown(key) + "' (known: " + String.join(", ", a.keySet()) + ")");
        a.put(key, value);
    }

    private static List<String> keysOf(Map<String, Object> m) { return new ArrayList<>(m.keySet()); }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) out.put(e.getKey(), e.getValue() instanceof Map<?, ?> sub ? deepCopy((Map<String, Object>) sub) : e.getValue());
        return out;
    }

    // A map (defaults merged with overrides, or a config.json's "config") -> a checked config.
    @SuppressWarnings("unchecked")
    public static RunConfig fromMap(Map<String, Object> m, String source) {
        Map<String, Object> full = merge(defaults(), m, source);
        Fields f = new Fields(full, source, "");
        Fields a = new Fields((Map<String, Object>) full.get("augment"), source, "augment.");
        Aug aug = new Aug(a.bool("crop"), a.num("crop_scale_min"), a.num("crop_scale_max"), a.num("ratio_min"), a.num("ratio_max"),
                a.num("flip"), a.num("brightness"), a.num("contrast"), a.numOrNull("saturation"), a.numOrNull("hue"), a.numOrNull("grayscale"));
        RunConfig c = new RunConfig(f.strOrNull("dataset"), f.strOrNull("data_dir"), f.intOrNull("limit"),
                f.choice("setting", SETTINGS), f.choice("loss", LOSSES), f.numOrNull("tau"), f.intOrNull("k"),
                f.choice("model", MODELS), f.choice("head", HEADS), f.integer("dim"),
                f.choice("optimizer", OPTIMIZERS), f.num("lr"), f.num("momentum"), f.num("weight_decay"),
                f.choice("schedule", SCHEDULES), f.num("warmup_epochs"), f.integer("epochs"), f.integer("batch"), f.lng("seed"),
                f.num("bank_momentum"), f.integer("eval_every"), aug, f.choice("probe", PROBES), f.integer("probe_epochs"),
                f.choice("backend", BACKENDS));
        c.check(source);
        return c;
    }

    public boolean usesTau() { return !loss.equals("simple") && !loss.equals("hardsimple"); }

    public boolean usesK() { return loss.equals("hard") || loss.equals("hardsimple"); }

    // Negatives per anchor: 2B − 2 in-batch (SimCLR), N − 1 bank entries (bank).
    public int negatives(int trainImages) { return setting.equals("simclr") ? 2 * batch - 2 : trainImages - 1; }

    private void check(String source) {
        String where = source + ": ";
        if (usesTau() && (tau == null || !(tau > 0) || tau.isInfinite())) {
            throw new DataException(where + "tau (--tau) must be a positive finite number for the " + loss + " loss, got " + tau);
        }
        if (k != null && k < 1) throw new DataException(where + "k (--k) must be at least 1, got " + k);
        if (limit != null && limit < 1) throw new DataException(where + "limit (--limit) must be at least 1, got " + limit);
        if (dim < 1 || dim > 65536) throw new DataException(where + "dim (--dim) must be in [1, 65536], got " + dim);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new DataException(where + "lr (--lr) must be a positive finite number, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new DataException(where + "momentum (--momentum) must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new DataException(where + "weight_decay (--weight-decay) must be >= 0, got " + weightDecay);
        if (epochs < 1 || epochs > 100_000) throw new DataException(where + "epochs (--epochs) must be in [1, 100000], got " + epochs);
        if (!(warmupEpochs >= 0 && warmupEpochs < epochs)) throw new DataException(where + "warmup_epochs (--warmup-epochs) must be in [0, epochs), got " + warmupEpochs);
        if (batch < 2) throw new DataException(where + "batch (--batch) must be at least 2 (batch norm needs a batch), got " + batch);
        if (!(bankMomentum >= 0 && bankMomentum < 1)) throw new DataException(where + "bank_momentum must be in [0, 1), got " + bankMomentum);
        if (evalEvery < 0) throw new DataException(where + "eval_every (--eval-every) must be >= 0 (0: only at the end), got " + evalEvery);
        if (probeEpochs < 1) throw new DataException(where + "probe_epochs (--probe-epochs) must be at least 1, got " + probeEpochs);
        Aug a = augment;
        if (!(a.scaleMin() > 0 && a.scaleMin() <= a.scaleMax() && a.scaleMax() <= 1)) throw new DataException(where + "crop scale must satisfy 0 < min <= max <= 1, got " + a.scaleMin() + ".." + a.scaleMax());
        if (!(a.ratioMin() > 0 && a.ratioMin() <= a.ratioMax()) || Double.isInfinite(a.ratioMax())) throw new DataException(where + "crop aspect ratio must satisfy 0 < min <= max, got " + a.ratioMin() + ".." + a.ratioMax());
        for (double p : new double[] {a.flip(), nz(a.grayscale())}) {
            if (!(p >= 0 && p <= 1)) throw new DataException(where + "flip and grayscale probabilities must be in [0, 1], got " + p);
        }
        for (double j : new double[] {a.brightness(), a.contrast(), nz(a.saturation())}) {
            if (!(j >= 0) || Double.isInfinite(j)) throw new DataException(where + "brightness, contrast and saturation jitter must be >= 0, got " + j);
        }
        if (!(nz(a.hue()) >= 0 && nz(a.hue()) <= 0.5)) throw new DataException(where + "hue jitter must be in [0, 0.5], got " + a.hue());
    }

    private static double nz(Double v) { return v == null ? 0 : v; }

    // The configuration as it runs on a dataset of trainImages images with `channels` channels:
    // the dataset named, τ dropped where the loss has none, K filled in and checked, the colour
    // jitter fixed for the channel count.
    public RunConfig resolve(String datasetName, int trainImages, int channels) {
        if (batch > trainImages) throw new DataException("batch (--batch) " + batch + " exceeds the " + trainImages + " training images" + (limit != null ? " kept by --limit" : ""));
        Integer kk = null;
        if (usesK()) {
            int neg = negatives(trainImages);
            kk = k != null ? k : HardContrastive.defaultK(neg);
            if (kk > neg) throw new DataException("k (--k) must be in [1, " + neg + "] (the negatives per anchor in the " + setting + " setting), got " + kk);
        }
        boolean rgb = channels == 3;
        Aug a = augment;
        Aug ra = new Aug(a.crop(), a.scaleMin(), a.scaleMax(), a.ratioMin(), a.ratioMax(), a.flip(), a.brightness(), a.contrast(),
                rgb ? orDefault(a.saturation(), 0.4) : 0.0, rgb ? orDefault(a.hue(), 0.4) : 0.0, rgb ? orDefault(a.grayscale(), 0.2) : 0.0);
        return new RunConfig(datasetName, dataDir, limit, setting, loss, usesTau() ? tau : null, kk, model, head, dim, optimizer, lr,
                momentum, weightDecay, schedule, warmupEpochs, epochs, batch, seed, bankMomentum, evalEvery, ra, probe, probeEpochs, backend);
    }

    private static double orDefault(Double v, double d) { return v == null ? d : v; }

    // Canonical map: the keys of defaults(), in that order.
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("data_dir", dataDir);
        m.put("limit", limit);
        m.put("setting", setting);
        m.put("loss", loss);
        m.put("tau", tau);
        m.put("k", k);
        m.put("model", model);
        m.put("head", head);
        m.put("dim", dim);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("schedule", schedule);
        m.put("warmup_epochs", warmupEpochs);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("seed", seed);
        m.put("bank_momentum", bankMomentum);
        m.put("eval_every", evalEvery);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("crop", augment.crop());
        a.put("crop_scale_min", augment.scaleMin());
        a.put("crop_scale_max", augment.scaleMax());
        a.put("ratio_min", augment.ratioMin());
        a.put("ratio_max", augment.ratioMax());
        a.put("flip", augment.flip());
        a.put("brightness", augment.brightness());
        a.put("contrast", augment.contrast());
        a.put("saturation", augment.saturation());
        a.put("hue", augment.hue());
        a.put("grayscale", augment.grayscale());
        m.put("augment", a);
        m.put("probe", probe);
        m.put("probe_epochs", probeEpochs);
        m.put("backend", backend);
        return m;
    }

    public String canonicalJson() { return JsonFiles.write(toMap(), false); }

    // First 12 hex digits of the SHA-256 of the canonical JSON.
    public String id() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonicalJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // A readable default run name: setting-loss[-tτ][-kK]-sSEED-id.
    public String defaultName() {
        StringBuilder b = new StringBuilder(setting).append('-').append(loss);
        if (tau != null) b.append("-t").append(trim(tau));
        if (k != null) b.append("-k").append(k);
        return b.append("-s").append(seed).append('-').append(id()).toString();
    }

    public static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    // The fields where two resolved configurations differ, as "key: a != b" (empty: the same).
    public static List<String> differences(Map<String, Object> a, Map<String, Object> b, String prefix) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String key : keys) {
            Object x = a.get(key), y = b.get(key);
            if (x instanceof Map<?, ?> mx && y instanceof Map<?, ?> my) {
                @SuppressWarnings("unchecked") var sub = differences((Map<String, Object>) mx, (Map<String, Object>) my, prefix + key + ".");
                out.addAll(sub);
            } else if (!String.valueOf(normalize(x)).equals(String.valueOf(normalize(y)))) {
                out.add(DataException.shown(prefix + key) + ": " + DataException.shown(x, 200) + " (checkpoint) != " + DataException.shown(y, 200) + " (now)");
            }
        }
        return out;
    }

    private static Object normalize(Object v) { return v instanceof Number n && !(v instanceof Double || v instanceof Float) ? (Object) n.longValue() : v; }

    // Typed access to a settings map, each problem naming the key and the source.
    private record Fields(Map<String, Object> m, String source, String prefix) {
        String strOrNull(String key) {
            Object v = m.get(key);
            if (v == null) return null;
            if (v instanceof String s) return s;
            throw bad(key, "a string", v);
        }

        String choice(String key, List<String> allowed) {
            String s = strOrNull(key);
            if (s == null || !allowed.contains(s.toLowerCase(Locale.ROOT))) {
                throw new DataException(source + ": unknown " + key.replace('_', ' ') + " '" + DataException.shown(s) + "' (use " + String.join(", ", allowed) + ")");
            }
            return s.toLowerCase(Locale.ROOT);
        }

        double num(String key) {
            Double d = numOrNull(key);
            if (d == null) throw bad(key, "a number", null);
            return d;
        }

        Double numOrNull(String key) {
            Object v = m.get(key);
            if (v == null) return null;
            if (v instanceof Number n) return n.doubleValue();
            if (v instanceof String s) {
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw bad(key, "a number", v);
                }
            }
            throw bad(key, "a number", v);
        }

        int integer(String key) {
            Integer i = intOrNull(key);
            if (i == null) throw bad(key, "an integer", null);
            return i;
        }

        Integer intOrNull(String key) {
            Object v = m.get(key);
            if (v == null) return null;
            long l = lngOf(key, v);
            if (l != (int) l) throw bad(key, "an integer in range", v);
            return (int) l;
        }

        long lng(String key) {
            Object v = m.get(key);
            if (v == null) throw bad(key, "an integer", null);
            return lngOf(key, v);
        }

        private long lngOf(String key, Object v) {
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof java.math.BigInteger) {
                try {
                    return v instanceof java.math.BigInteger bi ? bi.longValueExact() : ((Number) v).longValue();
                } catch (ArithmeticException e) {
                    throw bad(key, "an integer in range", v);
                }
            }
            if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return d.longValue();
            if (v instanceof String s) {
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    throw bad(key, "an integer", v);
                }
            }
            throw bad(key, "an integer", v);
        }

        boolean bool(String key) {
            Object v = m.get(key);
            if (v instanceof Boolean b) return b;
            if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) return Boolean.parseBoolean(s);
            throw bad(key, "true or false", v);
        }

        private DataException bad(String key, String what, Object v) {
            return new DataException(source + ": " + prefix + key + " must be " + what + ", got " + (v == null ? "nothing" : "'" + DataException.shown(v) + "'"));
        }
    }
}
