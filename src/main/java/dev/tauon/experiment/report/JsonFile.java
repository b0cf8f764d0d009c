package dev.tauon.experiment.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.tauon.data.DataException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// A JSON object read from a run folder into plain values (Map, List, Double, Long, String,
// Boolean, null) with jackson-core's streaming parser, and typed getters whose errors name the
// file and the key: "runs/a/metrics.json: "uniformity" is a string, expected a number".
record JsonFile(Path file, String where, Map<String, Object> map) {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();   // NaN reads as a missing number

    static JsonFile read(Path file) {
        try (JsonParser p = FACTORY.createParser(file.toFile())) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) throw new DataException(file + ": expected a JSON object, found " + (t == null ? "an empty file" : t.asString()));
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) value(p, t);
            if (p.nextToken() != null) throw new DataException(file + ": text after the JSON object");
            return new JsonFile(file, "", m);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new DataException(file + ": not valid JSON (" + (at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ")
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new DataException(file + ": missing");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) list.add(value(p, e));
                return list;
            }
            case VALUE_NUMBER_INT -> { return p.getLongValue(); }
            case VALUE_NUMBER_FLOAT -> { return p.getDoubleValue(); }
            case VALUE_STRING -> { return p.getText(); }
            case VALUE_TRUE, VALUE_FALSE -> { return t == JsonToken.VALUE_TRUE; }
            case VALUE_NULL -> { return null; }
            default -> throw new DataException("unexpected JSON token " + t);
        }
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
