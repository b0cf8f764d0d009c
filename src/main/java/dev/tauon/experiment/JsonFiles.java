package dev.tauon.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.tauon.data.DataException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// The JSON a run writes and reads back (config.json, metrics.json, checkpoint records), through
// jackson-core's streaming API: maps keep their order, numbers print as Java's shortest
// round-trip form, so the same values always give the same bytes.
public final class JsonFiles {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonFactory READER = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private JsonFiles() {}

    // value: Map, List, String, Number, Boolean, null, or a float[] / double[] (as a list)
    public static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(
                    new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n")));
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pretty ? out + "\n" : out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (var e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) write(g, o);
                g.writeEndArray();
            }
            case float[] a -> {
                g.writeStartArray();
                for (float x : a) writeNumber(g, x);
                g.writeEndArray();
            }
            case double[] a -> {
                g.writeStartArray();
                for (double x : a) writeNumber(g, x);
                g.writeEndArray();
            }
            case int[] a -> {
                g.writeStartArray();
                for (int x : a) g.writeNumber(x);
                g.writeEndArray();
            }
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Float f -> writeNumber(g, f);
            case Double d -> writeNumber(g, d);
            case Boolean b -> g.writeBoolean(b);
            default -> g.writeString(String.valueOf(v));
        }
    }

    // Non-finite numbers are not JSON: they are written as null.
    private static void writeNumber(JsonGenerator g, double x) throws IOException {
        if (Double.isFinite(x)) g.writeNumber(x);
        else g.writeNull();
    }

    // Parses text into LinkedHashMap / ArrayList / String / Long / Double / Boolean / null (NaN
    // and Infinity tokens read as numbers); a syntax error is a DataException naming source, the
    // line and the column.
    public static Object parse(String text, String source) { return parse(text, source, false); }

    // parse, expecting an object.
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, String source) { return (Map<String, Object>) parse(text, source, true); }

    private static Object parse(String text, String source, boolean object) {
        try (JsonParser p = READER.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new DataException(source + ": empty, expected JSON");
            if (object && t != JsonToken.START_OBJECT) throw new DataException(source + ": expected a JSON object, found " + t.asString());
            Object v = read(p, t);
            if (p.nextToken() != null) throw new DataException(source + ": text after the JSON value");
            return v;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new DataException(source + ": not valid JSON (" + (at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ")
                    + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new DataException(source + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) l.add(read(p, k));
                return l;
            }
            case VALUE_STRING -> { return p.getText(); }
            case VALUE_NUMBER_INT -> { return p.getLongValue(); }
            case VALUE_NUMBER_FLOAT -> { return p.getDoubleValue(); }
            case VALUE_TRUE -> { return true; }
            case VALUE_FALSE -> { return false; }
            case VALUE_NULL -> { return null; }
            default -> throw new IOException("unexpected token " + t);
        }
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
