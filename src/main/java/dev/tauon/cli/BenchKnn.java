package dev.tauon.cli;

import dev.tauon.kernel.Parallel;
import dev.tauon.metrics.KnnClassifier;
import dev.tauon.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;

// `tauon bench knn`: seconds for the paper's weighted kNN monitor (K = 200, σ = 0.07) over random
// embeddings: block GEMMs of queries against the bank, then a top-K and a vote per query. Timed
// after a warm-up on 512 queries.
@Command(name = "knn", mixinStandardHelpOptions = true,
        description = "Seconds for weighted kNN (K=200, sigma=0.07): Q queries against an N-entry bank.")
final class BenchKnn implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--queries", paramLabel = "Q", description = "queries (default: ${DEFAULT-VALUE})") int queries = 10000;
    @Option(names = "--bank", paramLabel = "N", description = "bank entries (default: ${DEFAULT-VALUE})") int bank = 60000;
    @Option(names = "--dim", paramLabel = "D", description = "embedding dimension (default: ${DEFAULT-VALUE})") int dim = 128;
    @Option(names = "--k", paramLabel = "K", description = "neighbours (default: ${DEFAULT-VALUE})") int k = 200;
    @Option(names = "--classes", paramLabel = "C", description = "classes (default: ${DEFAULT-VALUE})") int classes = 10;
    @Option(names = "--json", description = "one JSON object") boolean json;
    @Mixin ComputeOptions compute;

    @Override public void run() { compute.run(this::body); }

    private void body() {
        Flags.range("--queries", queries, 1, Integer.MAX_VALUE);
        Flags.range("--bank", bank, 1, Integer.MAX_VALUE);
        Flags.range("--dim", dim, 1, 1 << 16);
        Flags.range("--k", k, 1, bank);
        Flags.range("--classes", classes, 1, 1 << 20);
        UserError.checkArraySize("--queries × --dim", queries, dim);
        UserError.checkArraySize("--bank × --dim", bank, dim);
        UserError.checkArraySize("256 query rows × --bank", 256, bank);
        // queries, bank, labels, and a block of 256 query rows against the bank (and its top-K)
        Memory.require("bench knn", 4 * ((long) queries * dim + (long) bank * dim + bank + 2 * 256L * bank));
        float[] q = new float[queries * dim], b = new float[bank * dim];
        Rng.seeded(1).fillNormal(q, 0, q.length, 0, 1);
        Rng.seeded(2).fillNormal(b, 0, b.length, 0, 1);
        int[] labels = new int[bank];
        for (int i = 0; i < bank; i++) labels[i] = Rng.seeded(3).nextInt(i, classes);
        var cfg = new KnnClassifier.Config(k, 0.07, true);
        int warm = Math.min(queries, 512);                      // JIT warm-up on a slice, not timed
        KnnClassifier.predict(java.util.Arrays.copyOf(q, warm * dim), warm, b, bank, labels, classes, dim, cfg);
        long t0 = System.nanoTime();
        int[] pred = KnnClassifier.predict(q, queries, b, bank, labels, classes, dim, cfg);
        double secs = (System.nanoTime() - t0) * 1e-9;
        if (json) {
            Map<String, Object> o = Json.object(
                    "bench", "knn",
                    "queries", queries,
                    "bank", bank,
                    "dim", dim,
                    "k", k,
                    "threads", Parallel.threads(),
                    "backend", dev.tauon.backend.ActiveBackend.get().name(),
                    "seconds", Math.round(secs * 1000) / 1000.0);
            spec.commandLine().getOut().println(Json.line(o));
        } else {
            spec.commandLine().getOut().printf("knn Q=%d N=%d d=%d K=%d threads=%d backend=%s: %.3f s (first prediction %d)%n",
                    queries, bank, dim, k, Parallel.threads(), dev.tauon.backend.ActiveBackend.get().name(), secs, pred[0]);
        }
        spec.commandLine().getOut().flush();
    }
}
