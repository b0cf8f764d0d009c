package dev.tauon.cli;

import java.util.Map;

// One-line JSON objects for --json output (numbers, strings, booleans, nested maps).
final class Json {
    private Json() {}

    // The fields of a --json line, in order: object("bench", "knn", "queries", 10000, ...); a
    // mutable map, so a command can add the fields that depend on its options.
    static Map<String, Object> object(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("keys and values come in pairs");
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    // One line of JSON (non-finite numbers as null, so that jq reads it), as experiment/JsonFiles writes.
    static String line(Map<String, ?> fields) { return dev.tauon.experiment.JsonFiles.write(fields, false); }
}
