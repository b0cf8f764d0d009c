package dev.tauon.cli;

import dev.tauon.data.DataException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

// The YAML files a user writes (`pretrain --config`, `sweep --grid`), read defensively with
// SnakeYAML Engine: at most 64 KiB (SnakeYAML allocates ~500 bytes per byte it reads; a grid of
// every setting is 2 KB), nesting at most 64 deep (checked on the event stream, before
// the composer recurses), no value that contains itself through an alias (SnakeYAML would hash
// such a key for ever), and its own exceptions turned into one line naming the file.
final class YamlSettings {
    static final long MAX_BYTES = 1 << 16;
    static final int MAX_DEPTH = 64;

    private YamlSettings() {}

    static Map<String, Object> read(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw new DataException(file + ": is a directory, expected a YAML file");
            long size = Files.size(file);
            if (size > MAX_BYTES) throw new DataException(file + ": " + size + " bytes; a settings file holds at most " + MAX_BYTES);
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DataException(file + ": permission denied");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + DataException.shown(e.getMessage(), 200) + ")");
        }
        return read(file, bytes);
    }

    // A mapping of settings from bytes (file names them in errors), as plain data: maps keyed by
    // strings at every level, lists, scalars.
    static Map<String, Object> read(Path file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not UTF-8 text");
        }
        LoadSettings settings = LoadSettings.builder().setMaxAliasesForCollections(10).setCodePointLimit((int) MAX_BYTES).build();
        Object v;
        try {
            int depth = 0;
            for (Event e : new Parse(settings).parseString(text)) {
                if (e instanceof CollectionStartEvent && ++depth > MAX_DEPTH) throw new DataException(file + ": nested more than " + MAX_DEPTH + " levels deep");
                if (e instanceof CollectionEndEvent) depth--;
            }
            Optional<Node> doc = new Compose(settings).composeString(text);
            if (doc.isPresent()) acyclic(file, doc.get(), Collections.newSetFromMap(new IdentityHashMap<>()), Collections.newSetFromMap(new IdentityHashMap<>()));
            v = new StandardConstructor(settings).constructSingleDocument(doc);
        } catch (YamlEngineException e) {
            throw new DataException(file + ": not valid YAML (" + DataException.shown(firstLine(e.getMessage()), 200) + ")");
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {          // SnakeYAML 2.9 lets a few escape, e.g. NumberFormatException on "\x
            throw new DataException(file + ": not valid YAML (the parser failed with " + e.getClass().getSimpleName() + ": "
                    + DataException.shown(firstLine(e.getMessage()), 200) + ")");
        }
        if (v == null) return Map.of();
        if (!(v instanceof Map<?, ?>)) throw new DataException(file + ": expected a mapping of settings (key: value), got " + v.getClass().getSimpleName());
        @SuppressWarnings("unchecked") Map<String, Object> out = (Map<String, Object>) plain(file, v, 0);
        return out;
    }

    // Refuses a node reachable from itself (through aliases): &x [[*x]], or a key holding its map.
    // open: the nodes on the current path; done: nodes whose whole subgraph is known acyclic.
    private static void acyclic(Path file, Node n, Set<Node> open, Set<Node> done) {
        if (done.contains(n)) return;
        if (!open.add(n)) throw new DataException(file + ": a value contains itself through an alias (&" + n.getAnchor().map(a -> DataException.shown(a.getValue())).orElse("?") + ")");
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                acyclic(file, t.getKeyNode(), open, done);
                acyclic(file, t.getValueNode(), open, done);
            }
        } else if (n instanceof SequenceNode s) {
            for (Node c : s.getValue()) acyclic(file, c, open, done);
        }
        open.remove(n);
        done.add(n);
    }

    // Maps with String.valueOf keys at every level, collections as lists; depth bounded, as a DAG
    // of aliases may nest deeper than the text does.
    private static Object plain(Path file, Object v, int depth) {
        if (depth > 4 * MAX_DEPTH) throw new DataException(file + ": nested more than " + 4 * MAX_DEPTH + " levels deep through aliases");
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) out.put(String.valueOf(plain(file, e.getKey(), depth + 1)), plain(file, e.getValue(), depth + 1));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) out.add(plain(file, o, depth + 1));
            return out;
        }
        return v;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
