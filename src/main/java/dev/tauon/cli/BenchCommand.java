package dev.tauon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

// `tauon bench ...`: whole-operation benchmarks (kernels have JMH benchmarks under bench/).
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time Tauon's kernels and training steps on this machine.",
        subcommands = {BenchGemm.class, BenchStep.class, BenchBank.class, BenchKnn.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: " + String.join(", ", spec.subcommands().keySet()));
    }
}
