package dev.tauon.experiment;

import dev.tauon.cli.Main;
import dev.tauon.data.AtomicFiles;
import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.Simd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

// A finished run folder reduced to one line that must match bit for bit between runs of the same
// configuration: hashes of the weights and embeddings, history.csv without its wall-clock columns,
// metrics.json without its wall-clock fields. As a main (for forked JVMs): runs `tauon pretrain`
// with the arguments after the thread count, prints "lanes=L" then the fingerprint.
public final class PretrainFingerprint {
    static final List<String> CLOCK_FIELDS = List.of("seconds", "train_seconds", "views_per_s");

    public static void main(String[] args) throws Exception {
        Parallel.setThreads(Integer.parseInt(args[0]));
        Path runs = Path.of(args[1]);
        String[] rest = Arrays.copyOfRange(args, 2, args.length);
        int rc = Main.run(concat(new String[] {"pretrain", "--runs", runs.toString(), "--name", "r", "--threads", args[0]}, rest));
        if (rc != 0) System.exit(rc);
        System.out.println("lanes=" + (Simd.ENABLED ? Simd.LANES : 1));
        System.out.println(of(runs.resolve("r")));
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static String of(Path run) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("weights=").append(AtomicFiles.sha256(run.resolve("weights.safetensors")));
        b.append(" embeddings=").append(AtomicFiles.sha256(run.resolve("embeddings.npy")));
        b.append(" labels=").append(AtomicFiles.sha256(run.resolve("labels.npy")));
        b.append(" history=").append(history(run));
        Map<String, Object> m = JsonFiles.parseObject(Files.readString(run.resolve("metrics.json"), StandardCharsets.UTF_8), "metrics");
        for (String k : CLOCK_FIELDS) m.remove(k);
        b.append(" metrics=").append(JsonFiles.write(m, false));
        return b.toString();
    }

    // history.csv without the views_per_s and seconds columns
    static String history(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("history.csv"))) {
            String[] c = line.split(",", -1);
            out.add(c[0] + "," + c[1] + "," + c[2] + "," + c[5]);
        }
        return String.join(";", out);
    }
}
