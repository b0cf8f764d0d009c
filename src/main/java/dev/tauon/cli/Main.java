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
        subcommands = {InfoCommand.class, PretrainCommand.class, EvalCommand.class, SweepCommand.class, ReportCommand.class, DemoCommand.class, SupervisedCommand.class, LossCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = commandLine();
        if (!Simd.ENABLED && Simd.REASON.startsWith("module")) {
            System.err.println("tauon: SIMD off, running the scalar kernels: add --add-modules jdk.incubator.vector to the java command (./tauon does this)");
        }
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            PrintWriter err = line.getErr();
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

    @Override public void run() {
        new CommandLine(this).usage(System.out);
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/dev/tauon/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"tauon " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
