package dev.tauon.experiment;

import dev.tauon.data.AtomicFiles;
import dev.tauon.data.DataException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

// A run's folder (docs/run-format.md): every file a run writes, and nothing outside it.
public record RunFolder(Path dir) {
    public Path config() { return dir.resolve("config.json"); }
    public Path history() { return dir.resolve("history.csv"); }
    public Path metrics() { return dir.resolve("metrics.json"); }
    public Path log() { return dir.resolve("log.txt"); }
    public Path checkpoints() { return dir.resolve("checkpoint"); }
    public Path weights() { return dir.resolve("weights.safetensors"); }
    public Path embeddings() { return dir.resolve("embeddings.npy"); }
    public Path labels() { return dir.resolve("labels.npy"); }
    public Path done() { return dir.resolve("DONE"); }

    public boolean isDone() { return Files.isRegularFile(done()); }

    // A run name is one path element inside the runs folder: no separators, no "..", not absolute.
    public static RunFolder of(Path runs, String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                || name.startsWith("-") || !name.matches("[A-Za-z0-9._+=-]+")) {
            throw new DataException("--name '" + name + "' is not a plain folder name (letters, digits, . _ + = -; no '/' or '..'): runs stay inside " + runs);
        }
        return new RunFolder(runs.resolve(name));
    }

    // Creates the folder (and the runs folder), failing clearly before any computing when it cannot.
    public void create() {
        try {
            for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                if (Files.exists(p) && !Files.isDirectory(p)) throw new DataException(p + ": is a file, not a folder (the runs folder must be a folder)");
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) throw new DataException(dir + ": is a file, not a run folder");
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new DataException(dir + ": permission denied (cannot write the run folder)");
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new DataException(e.getFile() + ": is a file, not a folder");
        } catch (IOException e) {
            throw new DataException(dir + ": cannot create the run folder (" + e.getMessage() + ")");
        }
    }

    // Appends a timestamped line to log.txt.
    public void log(String line) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        try {
            Files.writeString(log(), stamp + "  " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(log() + ": cannot append (" + e.getMessage() + ")", e);
        }
    }

    public void writeConfig(RunConfig cfg) throws IOException {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", cfg.id());
        m.put("config", cfg.toMap());
        AtomicFiles.writeString(config(), JsonFiles.write(m, true));
    }

    public void writeHistory(List<History.Row> rows) throws IOException { AtomicFiles.writeString(history(), History.csv(rows)); }

    // The "config" object of config.json; null when there is none.
    @SuppressWarnings("unchecked")
    public Map<String, Object> readConfig() throws IOException {
        if (!Files.isRegularFile(config())) return null;
        Map<String, Object> m = JsonFiles.parseObject(Files.readString(config(), StandardCharsets.UTF_8), config().toString());
        if (!(m.get("config") instanceof Map<?, ?> c)) throw new DataException(config() + ": has no \"config\" object");
        return (Map<String, Object>) c;
    }
}
