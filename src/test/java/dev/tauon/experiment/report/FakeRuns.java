package dev.tauon.experiment.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

// Writes fake run folders as docs/run-format.md lays them out (config.json, metrics.json,
// history.csv, DONE), with chosen numbers, for the report's tests.
final class FakeRuns {
    // One run: tau and k may be null; a NaN metric is written as null.
    record Run(String id, String loss, Double tau, Integer k, long seed, double knn, double linear, double unif, double tol,
               double pos, double neg1, double entropy) {
        Run seeded(String newId, long newSeed, double shift) {
            return new Run(newId, loss, tau, k, newSeed, knn + shift, linear + shift, unif + shift, tol + shift, pos, neg1, entropy);
        }
    }

    static final int EPOCHS = 4;

    private FakeRuns() {}

    static Run run(String id, String loss, Double tau, long seed, double knn, double linear, double unif, double tol) {
        double t = tau == null ? 1 : tau;
        Integer k = loss.startsWith("hard") ? 4095 : null;
        return new Run(id, loss, tau, k, seed, knn, linear, unif, tol, 0.4 + 0.5 * t, 0.25 + 0.6 * t, tau == null ? Double.NaN : 6 + 4 * t);
    }

    static Path write(Path parent, Run r, boolean done) throws IOException {
        Path d = parent.resolve(r.id());
        Files.createDirectories(d);
        Files.writeString(d.resolve("config.json"), String.format(Locale.ROOT, """
                {"id": "%s", "config": {
                  "dataset": "fashion-mnist", "data_dir": null, "limit": null,
                  "setting": "bank", "loss": "%s", "tau": %s, "k": %s,
                  "model": "smallconvnet", "head": "linear", "dim": 128,
                  "optimizer": "sgd", "lr": 0.5, "momentum": 0.9, "weight_decay": 0.0005,
                  "schedule": "cosine", "warmup_epochs": 0, "epochs": %d, "batch": 256, "seed": %d,
                  "bank_momentum": 0.5, "eval_every": 1, "augment": {"crop": 0.2}, "probe": "sgd", "probe_epochs": 30,
                  "backend": "cpu"}}
                """, r.id(), r.loss(), r.tau(), r.k(), EPOCHS, r.seed()));
        Files.writeString(d.resolve("metrics.json"), metrics(r));
        StringBuilder h = new StringBuilder("epoch,loss,lr,views_per_s,seconds,knn_accuracy\n");
        for (int e = 1; e <= EPOCHS; e++) {
            double frac = e / (double) EPOCHS;
            h.append(String.format(Locale.ROOT, "%d,%.4f,%.4f,1000.0,10.5,%s%n", e, loss(r) - frac * 0.5, 0.5 * (1 - frac),
                    e == 2 ? "" : String.format(Locale.ROOT, "%.4f", r.knn() - 0.1 * (1 - frac))));
        }
        Files.writeString(d.resolve("history.csv"), h.toString());
        if (done) Files.writeString(d.resolve("DONE"), "");
        return d;
    }

    private static double loss(Run r) {
        return switch (r.loss()) {
            case "simple", "hardsimple" -> -0.3;
            default -> 8 + (r.tau() == null ? 0 : r.tau());
        };
    }

    static String num(double v) { return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.4f", v); }

    static String metrics(Run r) {
        StringBuilder ranks = new StringBuilder();
        for (int i = 0; i <= 10; i++) {
            double m = i == 0 ? r.pos() : r.neg1() - 0.01 * (i - 1);
            ranks.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "\"%s\": {\"min\": %s, \"q1\": %s, \"median\": %s, \"q3\": %s, \"max\": %s, \"mean\": %s}",
                    i == 0 ? "pos" : "n" + i, num(m - 0.3), num(m - 0.08), num(m), num(m + 0.06), num(Math.min(1, m + 0.2)), num(m)));
        }
        String profile = "null";
        if (r.tau() != null) {
            List<String> s = new ArrayList<>(), rr = new ArrayList<>(), c = new ArrayList<>();
            double z = 0;
            for (int i = 0; i < 20; i++) z += Math.exp((-0.95 + 0.1 * i) / r.tau()) * count(i);
            for (int i = 0; i < 20; i++) {
                double si = -0.95 + 0.1 * i;
                s.add(num(si));
                rr.add(count(i) == 0 ? "0" : String.format(Locale.ROOT, "%.6e", Math.exp(si / r.tau()) / z));
                c.add(Long.toString(count(i)));
            }
            profile = String.format(Locale.ROOT, "{\"tau\": %s, \"s\": [%s], \"r\": [%s], \"count\": [%s]}", r.tau(),
                    String.join(", ", s), String.join(", ", rr), String.join(", ", c));
        }
        return String.format(Locale.ROOT, """
                {
                  "run_id": "%s", "name": "fake", "tauon_version": "0.1.0", "dataset": "fashion-mnist",
                  "setting": "bank", "loss": "%s", "tau": %s, "k": %s, "seed": %d, "epochs": %d,
                  "knn_accuracy": %s, "linear_accuracy": %s, "uniformity": %s, "tolerance": %s,
                  "alignment": %s, "pos_similarity": %s, "neg1_similarity": %s, "neg10_similarity": %s,
                  "hardness_entropy": %s, "hardness_top10_share": 0.02,
                  "seconds": 412.5, "train_seconds": 380.1, "views_per_s": 1150.0,
                  "ranks": {%s},
                  "hardness_profile": %s,
                  "baselines": {"raw_pixel_knn": 0.85, "untrained_knn": 0.70, "untrained_linear": 0.75},
                  "parameters": {"knn": {"k": 200, "sigma": 0.07}}
                }
                """, r.id(), r.loss(), r.tau(), r.k(), r.seed(), EPOCHS, num(r.knn()), num(r.linear()), num(r.unif()), num(r.tol()),
                num(2 - 2 * r.pos()), num(r.pos()), num(r.neg1()), num(r.neg1() - 0.09), num(r.entropy()), ranks, profile);
    }

    // Pairs per similarity bin: none in the first two bins (the log axis must skip them).
    private static long count(int bin) { return bin < 2 ? 0 : Math.round(1000 * Math.exp(-Math.pow((bin - 9) / 4.0, 2))); }

    // A grid shaped like the paper's: infonce at 5 τ × 2 seeds, hard at 3 τ, simple, hardsimple.
    static List<Run> paperLike() {
        double[] taus = {0.05, 0.1, 0.2, 0.5, 1.0};
        double[] lin = {0.80, 0.83, 0.85, 0.84, 0.82}, knn = {0.81, 0.84, 0.83, 0.80, 0.78};
        double[] unif = {3.86, 3.85, 3.74, 3.34, 2.96}, tol = {0.05, 0.06, 0.11, 0.27, 0.37};
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < taus.length; i++) {
            Run r = run("info-" + i + "-s0", "infonce", taus[i], 0, knn[i], lin[i], unif[i], tol[i]);
            runs.add(r);
            runs.add(r.seeded("info-" + i + "-s1", 1, 0.004));
        }
        double[] hardTaus = {0.2, 0.5, 1.0};
        double[] hardLin = {0.855, 0.86, 0.858}, hardUnif = {3.88, 3.87, 3.86}, hardTol = {0.03, 0.03, 0.04};
        for (int i = 0; i < hardTaus.length; i++) {
            runs.add(run("hard-" + i, "hard", hardTaus[i], 0, hardLin[i] - 0.01, hardLin[i], hardUnif[i], hardTol[i]));
        }
        runs.add(run("simple", "simple", null, 0, 0.70, 0.748, 1.68, 0.61));
        runs.add(run("hardsimple", "hardsimple", null, 0, 0.83, 0.848, 3.85, 0.03));
        return runs;
    }

    static Path sweep(Path dir, List<Run> runs) throws IOException {
        Path r = dir.resolve("runs");
        for (Run run : runs) write(r, run, true);
        return dir;
    }
}
