package dev.tauon.experiment;

import dev.tauon.autograd.Profiler;
import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.loss.InfoNce;
import dev.tauon.loss.MemoryBank;
import dev.tauon.loss.Pairs;
import dev.tauon.nn.Parameter;
import dev.tauon.nn.ProjectionHead;
import dev.tauon.nn.Sequential;
import dev.tauon.nn.SmallConvNet;
import dev.tauon.ops.L2Normalize;
import dev.tauon.ops.Linear;
import dev.tauon.optim.Sgd;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

// One SimCLR training step, the same as ../shared/peers/torch_step.py: 2·batch views of random
// C×S×S input through SmallConvNet and the MLP head (128→128→ReLU→64) in one pass, L2-normalise,
// NT-Xent over in-batch negatives, backward, SGD with momentum. Times steady-state steps.
// views = 1 is the memory-bank setting's step instead: batch views against a bank of `bank`
// entries (InfoNCE over the B×N similarity GEMM), then the bank's momentum update.
public final class StepBenchmark {
    public record Config(int batch, int views, int channels, int size, float tau, int warmup, double warmupSeconds, int steps, long seed, int bank) {
        public Config(int batch, int views, int channels, int size, float tau, int warmup, double warmupSeconds, int steps, long seed) {
            this(batch, views, channels, size, tau, warmup, warmupSeconds, steps, seed, 60000);
        }
    }

    public record Result(double stepMedianSeconds, double stepMinSeconds, double viewsPerSecond, double forwardShare,
                         double gcShare, double peakRssMib, float firstLoss, float lastLoss, int warmupSteps, List<Profiler.Entry> profile) {}

    private StepBenchmark() {}

    public static Result run(Config cfg) {
        Rng rng = Rng.seeded(cfg.seed());
        Sequential backbone = SmallConvNet.create(cfg.channels(), rng.split(1));
        ProjectionHead head = ProjectionHead.mlp(SmallConvNet.FEATURES, 128, 64, rng.split(2));
        List<Parameter> params = new ArrayList<>(backbone.parameters());
        params.addAll(head.parameters());
        Sgd sgd = new Sgd(params, 0.1, 0.9, false, 0);
        int n = cfg.views() * cfg.batch();
        Tensor x = Tensor.zeros(n, cfg.channels(), cfg.size(), cfg.size());
        rng.split(3).fillNormal(x.data(), 0, x.size(), 0f, 1f);
        InfoNce loss = new InfoNce(cfg.tau());
        Pairs pairs = cfg.views() == 2 ? Pairs.simclr(cfg.batch()) : null;
        Workspace ws = new Workspace();
        MemoryBank bank = cfg.views() == 1 ? new MemoryBank(cfg.bank(), 64, 0.5f, rng.split(4)) : null;
        float[] zPrev = new float[cfg.batch() * 64];
        int[][] idx = {null};
        int[] stepNo = {0};

        // the step's forward pass and loss, the same in the timed steps and the profiled one;
        // the bank step first applies the previous step's momentum update (its cost counts)
        Supplier<Var> forward = () -> {
            if (bank == null) {
                Var z = L2Normalize.apply(head.forward(backbone.forward(Var.constant(x))));
                return loss.apply(Linear.apply(z, z, null), pairs);
            }
            if (idx[0] != null) bank.update(idx[0], zPrev);
            int[] rows = new int[cfg.batch()];
            for (int j = 0; j < rows.length; j++) rows[j] = (int) (((long) stepNo[0] * rows.length + j) % cfg.bank());
            stepNo[0]++;
            idx[0] = rows;
            Var z = L2Normalize.apply(head.forward(backbone.forward(Var.constant(x))));
            System.arraycopy(z.data(), 0, zPrev, 0, zPrev.length);
            return loss.apply(bank.similarity(z), Pairs.bank(rows));
        };
        double[] stepT = new double[cfg.steps()], fwdT = new double[cfg.steps()];
        float first = Float.NaN, last = Float.NaN;
        long start = System.nanoTime();
        int warm = 0;
        // untimed steps until both --warmup steps and --warmup-seconds have passed: the JIT
        // compiles the kernels in the background, and a short step needs more of them to get there
        while (warm < cfg.warmup() || (System.nanoTime() - start) * 1e-9 < cfg.warmupSeconds()) {
            float value = step(forward, sgd, ws, null, null, 0);
            if (warm++ == 0) first = value;
        }
        long gc0 = gcMillis(), wall0 = System.nanoTime();
        for (int i = 0; i < cfg.steps(); i++) {
            last = step(forward, sgd, ws, stepT, fwdT, i);
            if (warm == 0 && i == 0) first = last;
        }
        double gcShare = (gcMillis() - gc0) * 1e-3 / ((System.nanoTime() - wall0) * 1e-9);
        List<Profiler.Entry> profile = profileSteps(forward, sgd, ws);
        double med = median(stepT), fwd = median(fwdT);
        return new Result(med, Arrays.stream(stepT).min().orElse(0), n / med, fwd / med, gcShare, peakRssMib(),
                first, last, warm, profile);
    }

    // One training step; its loss. With stepT, the step's and its forward pass's seconds go to
    // stepT[i] and fwdT[i].
    private static float step(Supplier<Var> forward, Sgd sgd, Workspace ws, double[] stepT, double[] fwdT, int i) {
        long t0 = System.nanoTime(), t1;
        float value;
        try (var step = Workspace.step(ws)) {
            Var l = forward.get();
            t1 = System.nanoTime();
            sgd.zeroGrad();
            l.backward();
            sgd.step();
            value = l.data()[0];
        }
        long t2 = System.nanoTime();
        if (stepT != null) {
            stepT[i] = (t2 - t0) * 1e-9;
            fwdT[i] = (t1 - t0) * 1e-9;
        }
        return value;
    }

    // Per-op times of PROFILED steps after the timed ones, each op's fastest: a single profiled
    // step is too noisy on a shared machine (docs/performance.md).
    static final int PROFILED = 5;

    private static List<Profiler.Entry> profileSteps(Supplier<Var> forward, Sgd sgd, Workspace ws) {
        java.util.Map<String, Profiler.Entry> best = new java.util.LinkedHashMap<>();
        for (int i = 0; i < PROFILED; i++) {
            try (var step = Workspace.step(ws)) {
                Profiler.start();
                Var l = forward.get();
                sgd.zeroGrad();
                l.backward();
                Profiler.stop();
                sgd.step();
            }
            for (Profiler.Entry e : Profiler.entries()) {
                best.merge(e.key(), e, (a, b) -> new Profiler.Entry(a.key(), Math.min(a.forwardNanos(), b.forwardNanos()),
                        Math.min(a.backwardNanos(), b.backwardNanos()), a.calls()));
            }
        }
        return new ArrayList<>(best.values());
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, gc.getCollectionTime());
        return ms;
    }

    // The process's peak resident set (VmHWM), as PyTorch's peer reports ru_maxrss.
    static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (Exception e) {
            // not Linux: fall through
        }
        return Double.NaN;
    }
}
