package dev.tauon.cli;

import dev.tauon.data.DataException;
import dev.tauon.kernel.Simd;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

// The `tauon` command: parses the command line and hands each subcommand to its class.
@Command(name = "tauon", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Tauon: a pure-Java engine for contrastive representation learning.",
        subcommands = {InfoCommand.class, PretrainCommand.class, EvalCommand.class, SweepCommand.class, ReportCommand.class, DemoCommand.class, TestCommand.class, SupervisedCommand.class, LossCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        if (!Simd.ENABLED && Simd.REASON.startsWith("module")) {
            System.err.println("tauon: SIMD off, running the scalar kernels: add --add-modules jdk.incubator.vector to the java command (./tauon does this)");
        }
        return execute(commandLine(), args);
    }

    static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {   // picocli passes Errors through
            return outOfMemory(cl.getErr(), "tauon");
        }
    }

    // The last resort when an estimate let too-large work through: one line, no stack trace.
    static final int OUT_OF_MEMORY = 3;

    static int outOfMemory(PrintWriter err, String command) {
        long max = Runtime.getRuntime().maxMemory();
        err.println(command + ": error: out of memory (Java's heap is " + Memory.gib(max) + "); " + Memory.advice(2 * max));
        err.flush();
        return OUT_OF_MEMORY;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            PrintWriter err = line.getErr();
            for (Throwable t = ex; t != null; t = t.getCause()) {   // also when a worker thread's error is wrapped
                if (t instanceof OutOfMemoryError) return outOfMemory(err, line.getCommandSpec().qualifiedName());
            }
            if (ex instanceof dev.tauon.experiment.Stop.Stopped stopped) {
                err.println(line.getCommandSpec().qualifiedName() + ": " + stopped.getMessage());
                return stopped.exitCode();
            }
            if (ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException) {
                err.println(line.getCommandSpec().qualifiedName() + ": error: " + ex.getMessage());
                return 74;   // EX_IOERR: a file could not be read or written
            }
            if (ex instanceof UserError || ex instanceof DataException || ex instanceof IllegalArgumentException) {
                err.println(line.getCommandSpec().qualifiedName() + ": error: " + ex.getMessage());
                return 2;
            }
            err.println(line.getCommandSpec().qualifiedName() + ": internal error (please report): " + ex);
            ex.printStackTrace(err);
            return 70;
        });
        return cl;
    }

    // `tauon` without a command: the usage on stderr and a non-zero status (a script that forgot
    // the command must not look successful).
    @Override public void run() {
        new CommandLine(this).usage(System.err);
        throw new UserError("no command given; see the list above");
    }

    static String version() { return dev.tauon.experiment.Version.name(); }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"tauon " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
