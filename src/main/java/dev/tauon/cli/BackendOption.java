package dev.tauon.cli;

import dev.tauon.backend.ActiveBackend;
import dev.tauon.backend.Backends;
import dev.tauon.backend.CpuBackend;
import picocli.CommandLine.Option;

import java.util.Locale;

// `--backend cpu|auto|cuda` for commands that multiply matrices. cpu, the default, is
// bit-reproducible; the GPU is opt-in: auto uses it only when one answers and the product is
// large, cuda without a usable GPU is the user's error. Output names the backend in use.
public final class BackendOption {
    @Option(names = "--backend", paramLabel = "B",
            description = "where matrix products run: cpu (bit-reproducible), auto (a GPU for large products when one answers) or cuda "
                    + "(default: ${DEFAULT-VALUE}); GPU results are not bit-identical to the CPU's")
    String backend = "cpu";

    // The backend the ops use now, as the first output line of a command names it.
    public static String inUse() {
        return ActiveBackend.get().name() + (ActiveBackend.get().deterministic() ? " (bit-reproducible)" : " (GPU: not bit-identical to the CPU)");
    }

    // Selects the backend and sends the differentiable ops' and metrics' products to it until
    // the returned scope closes (then back to the CPU). Says so on stderr when a GPU is in use.
    public Scope useForOps() {
        Backends.Selection sel = select();
        if (!(sel.backend() instanceof CpuBackend)) System.err.println("tauon: backend " + sel.description());
        ActiveBackend.use(sel.backend());
        return () -> {
            ActiveBackend.use(CpuBackend.INSTANCE);
            sel.close();
        };
    }

    public interface Scope extends AutoCloseable {
        @Override void close();
    }

    // The caller closes the selection when done.
    public Backends.Selection select() {
        Backends.Choice choice = switch (backend.toLowerCase(Locale.ROOT)) {
            case "auto" -> Backends.Choice.AUTO;
            case "cpu" -> Backends.Choice.CPU;
            case "cuda" -> Backends.Choice.CUDA;
            default -> throw new UserError("--backend must be auto, cpu or cuda, got '" + backend + "'");
        };
        try {
            return Backends.select(choice);
        } catch (Backends.NoGpu e) {
            throw new UserError("--backend cuda: " + e.getMessage(), e);
        }
    }
}
