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
record GridFile(Map<String, Object> settings, List<String> losses, List<Double> taus, List<Integer> ks, List<Long> seeds) {

    static GridFile read(Path file, Map<String, Object> yaml) {
        Map<String, Object> y = new java.util.LinkedHashMap<>(yaml);
        Object ls = y.remove("losses"), ts = y.remove("taus"), kv = y.remove("ks"), ss = y.remove("seeds");
        List<String> losses = null;
        if (ls != null) {
            losses = new ArrayList<>();
            for (Object o : list(file, ls, "losses")) {
                String l = o instanceof String x ? x.toLowerCase(java.util.Locale.ROOT) : null;
                if (l == null || !RunConfig.LOSSES.contains(l)) throw new DataException(file + ": unknown loss '" + DataException.shown(o) + "' in losses (use " + String.join(", ", RunConfig.LOSSES) + ")");
                losses.add(l);
            }
        }
        List<Double> taus = null;
        if (ts != null) {
            taus = new ArrayList<>();
            for (Object o : list(file, ts, "taus")) {
                if (!(o instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
                    throw new DataException(file + ": taus must be positive finite numbers, got '" + DataException.shown(o) + "'");
                }
                taus.add(n.doubleValue());
            }
        }
        List<Integer> ks = null;
        if (kv != null) {
            ks = new ArrayList<>();
            for (Object o : list(file, kv, "ks")) {
                if (!(o instanceof Integer i) || i < 1) throw new DataException(file + ": ks must be integers >= 1, got '" + DataException.shown(o) + "'");
                ks.add(i);
            }
        }
        List<Long> seeds = null;
        if (ss != null) {
            seeds = new ArrayList<>();
            for (Object o : list(file, ss, "seeds")) {
                if (!(o instanceof Integer || o instanceof Long)) throw new DataException(file + ": seeds must be integers, got '" + DataException.shown(o) + "'");
                seeds.add(((Number) o).longValue());
            }
        }
        Map<String, Object> base = RunConfig.merge(RunConfig.defaults(), y, file.toString());
        for (String loss : losses != null ? new java.util.LinkedHashSet<>(losses) : java.util.Collections.<String>singleton(null)) {
            Map<String, Object> one = new java.util.LinkedHashMap<>();
            if (loss != null) one.put("loss", loss);
            if (taus != null) one.put("tau", taus.getFirst());
            if (ks != null) one.put("k", ks.getFirst());
            if (seeds != null) one.put("seed", seeds.getFirst());
            RunConfig.fromMap(RunConfig.merge(base, one, file.toString()), file.toString());
        }
        return new GridFile(y, losses, taus, ks, seeds);
    }

    // A list, or one value as a list of one; never empty.
    private static List<?> list(Path file, Object v, String key) {
        List<?> l = v instanceof List<?> x ? x : List.of(v);
        if (l.isEmpty()) throw new DataException(file + ": " + key + " is an empty list");
        return l;
    }
}
