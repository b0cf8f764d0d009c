package dev.tauon.cli;

import dev.tauon.data.DataException;
import dev.tauon.experiment.RunConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

// A `sweep --grid` file: its lists (null where absent: the flags or defaults apply) and its other
// settings, each checked on reading, the settings together with every loss the file names, so
// that a mistake is reported against the file before any dataset is loaded.
//
// A study that is not one product (seven τ for one loss, three for another, extra seeds for a
// few) lists its pieces under `grids:`; each piece is a grid of its own whose settings and lists
// override the file's top level, and the plan is the pieces in order, a run named twice kept once.
record GridFile(Map<String, Object> settings, List<String> losses, List<Double> taus, List<Integer> ks, List<Long> seeds, List<GridFile> parts) {

    static final GridFile NONE = new GridFile(Map.of(), null, null, null, null, List.of());

    static GridFile read(Path file, Map<String, Object> yaml) {
        Map<String, Object> y = new java.util.LinkedHashMap<>(yaml);
        Object gs = y.remove("grids");
        GridFile top = one(file, y, RunConfig.defaults(), "");
        if (gs == null) return top;
        Map<String, Object> base = RunConfig.merge(RunConfig.defaults(), top.settings, file.toString());
        List<GridFile> parts = new ArrayList<>();
        int i = 0;
        for (Object o : list(file, gs, "grids")) {
            String where = "grids[" + i++ + "]";
            if (!(o instanceof Map<?, ?> m)) throw new DataException(file + ": " + where + " must be a map of settings and lists, got '" + DataException.shown(o) + "'");
            Map<String, Object> part = new java.util.LinkedHashMap<>();
            for (var e : m.entrySet()) part.put(String.valueOf(e.getKey()), e.getValue());
            if (part.containsKey("grids")) throw new DataException(file + ": " + where + " holds grids of its own; one level of grids only");
            parts.add(one(file, part, base, where + "."));
        }
        return new GridFile(top.settings, top.losses, top.taus, top.ks, top.seeds, parts);
    }

    // One grid's lists and settings, checked on top of base; prefix names the piece in errors.
    private static GridFile one(Path file, Map<String, Object> yaml, Map<String, Object> base, String prefix) {
        Map<String, Object> y = new java.util.LinkedHashMap<>(yaml);
        Object ls = y.remove("losses"), ts = y.remove("taus"), kv = y.remove("ks"), ss = y.remove("seeds");
        List<String> losses = null;
        if (ls != null) {
            losses = new ArrayList<>();
            for (Object o : list(file, ls, prefix + "losses")) {
                String l = o instanceof String x ? x.toLowerCase(java.util.Locale.ROOT) : null;
                if (l == null || !RunConfig.LOSSES.contains(l)) throw new DataException(file + ": unknown loss '" + DataException.shown(o) + "' in " + prefix + "losses (use " + String.join(", ", RunConfig.LOSSES) + ")");
                losses.add(l);
            }
        }
        List<Double> taus = null;
        if (ts != null) {
            taus = new ArrayList<>();
            for (Object o : list(file, ts, prefix + "taus")) {
                if (!(o instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
                    throw new DataException(file + ": " + prefix + "taus must be positive finite numbers, got '" + DataException.shown(o) + "'");
                }
                taus.add(n.doubleValue());
            }
        }
        List<Integer> ks = null;
        if (kv != null) {
            ks = new ArrayList<>();
            for (Object o : list(file, kv, prefix + "ks")) {
                if (!(o instanceof Integer i) || i < 1) throw new DataException(file + ": " + prefix + "ks must be integers >= 1, got '" + DataException.shown(o) + "'");
                ks.add(i);
            }
        }
        List<Long> seeds = null;
        if (ss != null) {
            seeds = new ArrayList<>();
            for (Object o : list(file, ss, prefix + "seeds")) {
                if (!(o instanceof Integer || o instanceof Long)) throw new DataException(file + ": " + prefix + "seeds must be integers, got '" + DataException.shown(o) + "'");
                seeds.add(((Number) o).longValue());
            }
        }
        String source = prefix.isEmpty() ? file.toString() : file + " " + prefix.substring(0, prefix.length() - 1);
        Map<String, Object> merged = RunConfig.merge(base, y, source);
        for (String loss : losses != null ? new java.util.LinkedHashSet<>(losses) : java.util.Collections.<String>singleton(null)) {
            Map<String, Object> one = new java.util.LinkedHashMap<>();
            if (loss != null) one.put("loss", loss);
            if (taus != null) one.put("tau", taus.getFirst());
            if (ks != null) one.put("k", ks.getFirst());
            if (seeds != null) one.put("seed", seeds.getFirst());
            RunConfig.fromMap(RunConfig.merge(merged, one, source), source);
        }
        return new GridFile(y, losses, taus, ks, seeds, List.of());
    }

    // The pieces to expand: the parts, or the file itself when it has none.
    List<GridFile> pieces() { return parts.isEmpty() ? List.of(this) : parts; }

    // A list, or one value as a list of one; never empty.
    private static List<?> list(Path file, Object v, String key) {
        List<?> l = v instanceof List<?> x ? x : List.of(v);
        if (l.isEmpty()) throw new DataException(file + ": " + key + " is an empty list");
        return l;
    }
}
