package dev.tauon.experiment.report;

import dev.tauon.data.DataException;
import dev.tauon.experiment.JsonFiles;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

// A JSON object read from a run folder into plain values (Map, List, Double, Long, String,
// Boolean, null) by experiment/JsonFiles, and typed getters whose errors name the
// file and the key: "runs/a/metrics.json: "uniformity" is a string, expected a number".
record JsonFile(Path file, String where, Map<String, Object> map) {

    static JsonFile read(Path file) {
        String text;
        try {
            text = java.nio.file.Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": missing");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return new JsonFile(file, "", JsonFiles.parseObject(text, file.toString()));
    }

    boolean has(String key) { return map.get(key) != null; }

    DataException error(String key, String what) {
        return new DataException(file + ": \"" + where + key + "\" " + what);
    }

    private DataException wrongType(String key, String expected) {
        Object v = map.get(key);
        String is = v == null ? "missing" : "is " + switch (v) {
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "a list";
            default -> String.valueOf(v);
        };
        return error(key, is + ", expected " + expected);
    }

    String string(String key) {
        if (map.get(key) instanceof String s) return s;
        throw wrongType(key, "a string");
    }

    String optString(String key) {
        return map.get(key) == null ? null : string(key);
    }

    // A number, NaN when null or absent.
    double number(String key) {
        return switch (map.get(key)) {
            case null -> Double.NaN;
            case Number n -> n.doubleValue();
            default -> throw wrongType(key, "a number");
        };
    }

    double requiredNumber(String key) {
        if (map.get(key) instanceof Number n) return n.doubleValue();
        throw wrongType(key, "a number");
    }

    long integer(String key) {
        if (map.get(key) instanceof Long n) return n;
        throw wrongType(key, "an integer");
    }

    // An integer, or dflt when null or absent.
    long optInteger(String key, long dflt) {
        return map.get(key) == null ? dflt : integer(key);
    }

    // A nested object, or null when null or absent.
    JsonFile optObject(String key) {
        return switch (map.get(key)) {
            case null -> null;
            case Map<?, ?> m -> {
                @SuppressWarnings("unchecked") Map<String, Object> inner = (Map<String, Object>) m;
                yield new JsonFile(file, where + key + ".", inner);
            }
            default -> throw wrongType(key, "an object");
        };
    }

    JsonFile object(String key) {
        JsonFile o = optObject(key);
        if (o == null) throw wrongType(key, "an object");
        return o;
    }

    double[] numbers(String key) {
        if (!(map.get(key) instanceof List<?> list)) throw wrongType(key, "a list of numbers");
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (v == null) out[i] = Double.NaN;
            else if (v instanceof Number n) out[i] = n.doubleValue();
            else throw error(key, "has a non-number at index " + i);
        }
        return out;
    }
}
