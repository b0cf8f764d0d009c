package dev.tauon.cli;

import dev.tauon.backend.Backends;
import dev.tauon.backend.cuda.Cuda;
import dev.tauon.kernel.Parallel;
import dev.tauon.kernel.Simd;
import picocli.CommandLine.Command;

// `tauon info`: what this JVM and machine give Tauon.
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the JDK, SIMD, threads and devices Tauon will use.")
final class InfoCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() { return spec.commandLine().getOut(); }

    @Override public void run() {
        Runtime rt = Runtime.getRuntime();
        out().printf("tauon     %s%n", Main.version());
        out().printf("java      %s (%s, %s)%n", Runtime.version(), System.getProperty("java.vm.name"), System.getProperty("java.vendor"));
        out().printf("os        %s %s, %d cores, max heap %d MiB%n", System.getProperty("os.name"), System.getProperty("os.arch"),
                rt.availableProcessors(), rt.maxMemory() >> 20);
        out().printf("simd      %s%n", Simd.ENABLED ? "on: " + Simd.SPECIES + ", " + Simd.LANES + " float lanes" : "off: " + Simd.REASON);
        out().printf("fma       fused multiply-add on every result path (Math.fma / FloatVector.fma)%n");
        out().printf("threads   %d (ForkJoin pool; results are identical for any count)%n", Parallel.threads());
        out().printf("gpu       %s%n", gpuLine(Cuda.status()));
    }

    static String gpuLine(Cuda.Status status) {
        return switch (status) {
            case Cuda.Available a -> a.info().describe() + "; --backend auto uses it when m·n·k >= "
                    + Long.getLong(Backends.MIN_MNK_PROPERTY, Backends.AUTO_GPU_MIN_MNK) + "; " + Backends.NOT_BIT_IDENTICAL;
            case Cuda.Unavailable u -> "none: " + u.reason() + "; matrix products run on the CPU";
        };
    }
}
