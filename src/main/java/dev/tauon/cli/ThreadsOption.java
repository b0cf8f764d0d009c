package dev.tauon.cli;

import dev.tauon.kernel.Parallel;
import picocli.CommandLine.Option;

// `--threads N` for every command that computes; applied before the work starts.
public final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
            description = "worker threads (default: all cores, ${DEFAULT-VALUE}); results do not depend on it")
    int threads = Runtime.getRuntime().availableProcessors();

    static final int MAX = 4096;

    public void apply() {
        if (threads < 1 || threads > MAX) throw new UserError("--threads must be between 1 and " + MAX + ", got " + threads);
        Parallel.setThreads(threads);
    }
}
