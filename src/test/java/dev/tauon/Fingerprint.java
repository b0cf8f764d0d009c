package dev.tauon;

import dev.tauon.kernel.CnnFingerprint;
import dev.tauon.kernel.GemmFingerprint;
import dev.tauon.kernel.KernelFingerprint;
import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.Simd;
import dev.tauon.loss.LossFingerprint;
import dev.tauon.nn.TrainingFingerprint;

import java.util.List;
import java.util.function.Supplier;

// The computations whose raw result bits the reproducibility promise covers, each as lines of
// hashes, and where each is compared (DeterminismTest). The full training run is too slow on
// the scalar twins; the small one stands in for it there.
public enum Fingerprint {
    KERNELS(KernelFingerprint::lines, true),
    GEMM(GemmFingerprint::lines, true),
    CNN(CnnFingerprint::lines, true),
    LOSSES(LossFingerprint::lines, true),
    TRAINING(() -> List.of(TrainingFingerprint.run("full", 20)), false),
    TRAINING_SMALL(() -> List.of(TrainingFingerprint.run("small", 20)), true);

    final Supplier<List<String>> lines;
    final boolean onScalarTwins;

    Fingerprint(Supplier<List<String>> lines, boolean onScalarTwins) {
        this.lines = lines;
        this.onScalarTwins = onScalarTwins;
    }

    // Child JVM: args threads name...; prints "lanes=L simd=S", then "## NAME" and the lines of
    // each fingerprint named, so the parent sees what vectors the child really used.
    public static void main(String[] args) {
        Parallel.setThreads(Integer.parseInt(args[0]));
        System.out.println("lanes=" + Simd.LANES + " simd=" + Simd.ENABLED);
        for (int i = 1; i < args.length; i++) {
            System.out.println("## " + args[i]);
            for (String line : valueOf(args[i]).lines.get()) System.out.println(line);
        }
    }
}
