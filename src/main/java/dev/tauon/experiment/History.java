package dev.tauon.experiment;

import dev.tauon.data.DataException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

// history.csv: one row per finished epoch (see docs/run-format.md). Seconds and views/s are wall
// clock; every other column is a pure function of the configuration.
public final class History {
    public static final String HEADER = "epoch,loss,lr,views_per_s,seconds,knn_accuracy";

    // knn: null on epochs without a monitor
    public record Row(int epoch, double loss, double lr, double viewsPerS, double seconds, Double knn) {
        String csv() {
            return String.format(Locale.ROOT, "%d,%.6f,%.6g,%.1f,%.2f,%s", epoch, loss, lr, viewsPerS, seconds,
                    knn == null ? "" : String.format(Locale.ROOT, "%.4f", knn));
        }
    }

    private History() {}

    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) b.append(r.csv()).append('\n');
        return b.toString();
    }

    static List<Object> toMaps(List<Row> rows) {
        List<Object> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", r.epoch());
            m.put("loss", Double.toString(r.loss()));
            m.put("lr", Double.toString(r.lr()));
            m.put("views_per_s", r.viewsPerS());
            m.put("seconds", r.seconds());
            m.put("knn_accuracy", r.knn() == null ? null : Double.toString(r.knn()));
            out.add(m);
        }
        return out;
    }

    // The rows toMaps wrote, checked: each an object with the fields above, epochs numbered 1, 2, ...
    static List<Row> fromMaps(Object maps, String source) {
        if (!(maps instanceof List<?> list)) throw new DataException(source + ": 'history' missing or not a list");
        List<Row> rows = new ArrayList<>();
        for (Object o : list) {
            String where = source + ": history row " + (rows.size() + 1);
            if (!(o instanceof Map<?, ?> m)) throw new DataException(where + " is not an object");
            if (!(m.get("epoch") instanceof Long e) || e != rows.size() + 1) throw new DataException(where + ": 'epoch' is not " + (rows.size() + 1));
            Object knn = m.get("knn_accuracy");
            rows.add(new Row(rows.size() + 1, text(where, m.get("loss"), "loss"), text(where, m.get("lr"), "lr"), number(where, m.get("views_per_s"), "views_per_s"),
                    number(where, m.get("seconds"), "seconds"), knn == null ? null : text(where, knn, "knn_accuracy")));
        }
        return rows;
    }

    // A double written as text (Double.toString, exact).
    private static double text(String where, Object v, String key) {
        if (v instanceof String s && s.length() < 40) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new DataException(where + ": '" + key + "' is " + DataException.shown(v) + ", not a number as text");
    }

    private static double number(String where, Object v, String key) {
        if (v instanceof Number n) return n.doubleValue();
        throw new DataException(where + ": '" + key + "' is " + DataException.shown(v) + ", not a number");
    }
}
