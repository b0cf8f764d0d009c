package dev.tauon.cli;

import dev.tauon.autograd.Profiler;
import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.kernel.Parallel;
import dev.tauon.loss.HardContrastive;
import dev.tauon.loss.MemoryBank;
import dev.tauon.loss.Pairs;
import dev.tauon.ops.L2Normalize;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Map;

// `tauon bench bank`: one memory-bank step of the paper's hard loss without the network:
// B×N similarity GEMM, top-K negatives per row, fused loss, backward to the embeddings, bank update.
@Command(name = "bank", mixinStandardHelpOptions = true,
        description = "ms per memory-bank step: similarity GEMM + hard top-K + loss + backward + bank update.")
final class BenchBank implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--batch", paramLabel = "B", description = "anchors per step (default: ${DEFAULT-VALUE})") int batch = 128;
    @Option(names = "--bank", paramLabel = "N", description = "bank entries (default: ${DEFAULT-VALUE})") int bank = 60000;
    @Option(names = "--dim", paramLabel = "D", description = "embedding dimension (default: ${DEFAULT-VALUE})") int dim = 128;
    @Option(names = "--k", paramLabel = "K", description = "negatives kept (default: 8%% of N−1)") Integer k;
    @Option(names = "--tau", paramLabel = "T", description = "temperature (default: ${DEFAULT-VALUE})") float tau = 0.1f;
    @Option(names = "--steps", paramLabel = "S", description = "timed steps after as many warm-up steps (default: ${DEFAULT-VALUE})") int steps = 10;
    @Option(names = "--json", description = "one JSON object") boolean json;
    @Option(names = "--profile", description = "also print per-op times (Profiler), summed over the timed steps") boolean profile;
    @Mixin ComputeOptions compute;

    @Override public void run() { compute.run(this::body); }

    private void body() {
        Flags.range("--bank", bank, 2, Integer.MAX_VALUE);
        Flags.range("--batch", batch, 1, bank);
        Flags.range("--dim", dim, 1, 1 << 16);
        Flags.range("--steps", steps, 1, 100_000);
        Flags.positive("--tau", tau, Float.MAX_VALUE);
        UserError.checkArraySize("--batch × --bank", batch, bank);
        UserError.checkArraySize("--bank × --dim", bank, dim);
        int kk = k != null ? k : HardContrastive.defaultK(bank - 1);
        Flags.range("--k", kk, 1, bank - 1);
        // the bank and its update, the B×N similarities, their top-K lists and gradient
        Memory.require("bench bank", 4 * (2L * bank * dim + 4L * batch * bank));
        HardContrastive loss = new HardContrastive(tau, kk);
        MemoryBank mb = new MemoryBank(bank, dim, 0.5f, Rng.seeded(1));
        Tensor raw = Tensor.zeros(batch, dim);
        Rng.seeded(2).fillNormal(raw.data(), 0, raw.size(), 0, 1);
        Workspace ws = new Workspace();
        double[] t = new double[steps];
        float last = 0;
        for (int step = -steps; step < steps; step++) {
            int[] idx = Arrays.copyOf(Rng.seeded(3).split(step + steps).permutation(bank), batch);
            if (profile && step == 0) Profiler.start();
            long t0 = System.nanoTime();
            try (var scope = Workspace.step(ws)) {
                Profiler.mark();
                Var x = Var.param(raw);
                x.clearGrad();
                Var z = L2Normalize.apply(x);
                Var value = loss.apply(mb.similarity(z), Pairs.bank(idx));
                value.backward();
                mb.update(idx, z.data());
                last = value.data()[0];
            }
            if (step >= 0) t[step] = (System.nanoTime() - t0) * 1e-6;
        }
        Profiler.stop();
        Arrays.sort(t);
        double ms = t[steps / 2];
        if (json) {
            Map<String, Object> o = Json.object(
                    "bench", "bank",
                    "batch", batch,
                    "bank", bank,
                    "dim", dim,
                    "k", kk,
                    "threads", Parallel.threads(),
                    "backend", dev.tauon.backend.ActiveBackend.get().name(),
                    "ms_per_step", Math.round(ms * 100) / 100.0,
                    "ms_min", Math.round(t[0] * 100) / 100.0,
                    "loss", last);
            spec.commandLine().getOut().println(Json.line(o));
        } else {
            spec.commandLine().getOut().printf("bank step B=%d N=%d d=%d K=%d threads=%d backend=%s: %.2f ms/step (median of %d, min %.2f; loss %.4f)%n",
                    batch, bank, dim, kk, Parallel.threads(), dev.tauon.backend.ActiveBackend.get().name(), ms, steps, t[0], last);
        }
        if (profile) BenchStep.printProfile(spec.commandLine().getOut(), Profiler.entries());
        spec.commandLine().getOut().flush();
    }
}
