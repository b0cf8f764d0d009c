package dev.tauon.cli;

import picocli.CommandLine.Mixin;

// `--threads` and `--backend` together, for the commands that compute: run(body) sets the pool
// size, routes the ops' matrix products to the chosen backend, runs body, and restores the CPU.
public final class ComputeOptions {
    @Mixin ThreadsOption threads;

    @Mixin BackendOption backend;

    public void run(Runnable body) {
        threads.apply();
        try (var scope = backend.useForOps()) {
            body.run();
        }
    }
}
