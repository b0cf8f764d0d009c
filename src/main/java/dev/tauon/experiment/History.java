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

    @SuppressWarnings("unchecked")
    static List<Row> fromMaps(List<Object> maps, String source) {
        if (maps == null) throw new DataException(source + ": no history");
        List<Row> rows = new ArrayList<>();
        for (Object o : maps) {
            Map<String, Object> m = (Map<String, Object>) o;
            Object knn = m.get("knn_accuracy");
            rows.add(new Row(((Number) m.get("epoch")).intValue(), Double.parseDouble((String) m.get("loss")),
                    Double.parseDouble((String) m.get("lr")), ((Number) m.get("views_per_s")).doubleValue(),
                    ((Number) m.get("seconds")).doubleValue(), knn == null ? null : Double.parseDouble((String) knn)));
        }
        return rows;
    }
}
