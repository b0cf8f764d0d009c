package dev.tauon.cli;

import dev.tauon.autograd.Profiler;
import dev.tauon.experiment.StepBenchmark;
import dev.tauon.kernel.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

// `tauon bench step`: views/s and peak memory of a full SimCLR training step of SmallConvNet,
// the same step as ../shared/peers/torch_step.py, with a per-op breakdown of where time goes.
@Command(name = "step", mixinStandardHelpOptions = true,
        description = "Time a SimCLR training step of SmallConvNet + MLP head (forward, NT-Xent, backward, SGD).")
final class BenchStep implements Runnable {
    @Option(names = "--batch", paramLabel = "B", description = "images per step (default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Option(names = "--views", paramLabel = "V", description = "views per image: 2 (SimCLR, in-batch negatives) or 1 (the memory-bank setting's step against --bank entries) (default: ${DEFAULT-VALUE})")
    int views = 2;

    @Option(names = "--bank", paramLabel = "N", description = "memory-bank entries for --views 1 (default: ${DEFAULT-VALUE}, Fashion-MNIST's training set)")
    int bank = 60000;

    @Option(names = "--channels", paramLabel = "C", description = "input channels, 1 or 3 (default: ${DEFAULT-VALUE})")
    int channels = 1;

    @Option(names = "--size", paramLabel = "S", description = "input height and width (default: ${DEFAULT-VALUE})")
    int size = 28;

    @Option(names = "--steps", paramLabel = "N", description = "timed steps (default: ${DEFAULT-VALUE})")
    int steps = 20;

    @Option(names = "--warmup", paramLabel = "N", description = "untimed steps first, at least (default: ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--warmup-seconds", paramLabel = "S",
            description = "untimed steps go on until this many seconds have passed too, so the JIT has compiled the kernels (default: ${DEFAULT-VALUE})")
    double warmupSeconds = 5;

    @Option(names = "--tau", paramLabel = "T", description = "NT-Xent temperature (default: ${DEFAULT-VALUE})")
    float tau = 0.5f;

    @Option(names = "--profile", description = "print the per-op time breakdown: each op's fastest of 5 profiled steps after the timed ones")
    boolean profile;

    @Option(names = "--json", description = "print one JSON object instead of the report")
    boolean json;

    @Mixin ComputeOptions compute;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { compute.run(this::body); }

    private void body() {
        if (views != 1 && views != 2) throw new UserError("--views must be 1 (memory bank) or 2 (SimCLR pairs), got " + views);
        if (views == 1 && (bank < batch || bank > 10_000_000)) throw new UserError("--bank must be between --batch and 10000000, got " + bank);
        Flags.range("--batch", batch, 2, 1 << 20);
        Flags.range("--channels", channels, 1, 1024);
        Flags.range("--size", size, 12, 4096);
        Flags.range("--steps", steps, 1, 100_000);
        Flags.range("--warmup", warmup, 0, 100_000);
        Flags.nonNegative("--warmup-seconds", warmupSeconds, 3600);
        Flags.positive("--tau", tau, Float.MAX_VALUE);
        UserError.checkArraySize("2 × --batch × 32 channels × --size²", 2L * batch, 32, (long) size * size);
        // 2 views per image, each a SmallConvNet step (as in `supervised`) at --size² pixels
        Memory.require("bench step", 2L * batch * SupervisedCommand.STEP_BYTES_PER_IMAGE * size * size / 784);
        var r = StepBenchmark.run(new StepBenchmark.Config(batch, views, channels, size, tau, warmup, warmupSeconds, steps, 0, bank));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = Json.object(
                    "bench", "step",
                    "batch", batch,
                    "views", views * batch,
                    "threads", Parallel.threads(),
                    "backend", dev.tauon.backend.ActiveBackend.get().name(),
                    "warmup_steps", r.warmupSteps(),
                    "views_per_s", Math.round(r.viewsPerSecond() * 10) / 10.0,
                    "step_median_s", r.stepMedianSeconds(),
                    "fwd_share", Math.round(r.forwardShare() * 1000) / 1000.0,
                    "gc_share", Math.round(r.gcShare() * 1000) / 1000.0,
                    "peak_rss_mib", Math.round(r.peakRssMib()),
                    "loss_first", r.firstLoss(),
                    "loss_last", r.lastLoss());
            out.println(Json.line(o));
        } else {
            out.printf("config batch=%d views=%d input=%dx%dx%d tau=%s threads=%d backend=%s steps=%d warmup=%d (%d steps, >= %ss)%n",
                    batch, views * batch, channels, size, size, tau, Parallel.threads(), dev.tauon.backend.ActiveBackend.get().name(), steps, warmup,
                    r.warmupSteps(), warmupSeconds);
            out.printf("loss_first=%.4f loss_last=%.4f%n", r.firstLoss(), r.lastLoss());
            out.printf("step_median_s=%.4f step_min_s=%.4f%n", r.stepMedianSeconds(), r.stepMinSeconds());
            out.printf("views_per_s=%.1f images_per_s=%.1f%n", r.viewsPerSecond(), r.viewsPerSecond() / views);
            out.printf("fwd_share=%.3f gc_share=%.3f peak_rss_mib=%.0f%n", r.forwardShare(), r.gcShare(), r.peakRssMib());
            if (profile) printProfile(out, r.profile());
        }
        out.flush();
    }

    static void printProfile(PrintWriter out, List<Profiler.Entry> entries) {
        long total = entries.stream().mapToLong(e -> e.forwardNanos() + e.backwardNanos()).sum();
        out.printf("%n%-52s %9s %9s %7s%n", "op input->output", "fwd ms", "bwd ms", "share");
        entries.stream().sorted(Comparator.comparingLong(e -> -(e.forwardNanos() + e.backwardNanos()))).forEach(e ->
                out.printf("%-52s %9.2f %9.2f %6.1f%%%n", e.key(), e.forwardNanos() * 1e-6, e.backwardNanos() * 1e-6,
                        100.0 * (e.forwardNanos() + e.backwardNanos()) / total));
        out.printf("%-52s %9.2f ms%n", "total (ops only)", total * 1e-6);
    }
}
