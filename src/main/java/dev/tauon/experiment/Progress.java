package dev.tauon.experiment;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

// Progress of long work, on stderr so that stdout (tables, --json) stays clean. A live bar on a
// terminal; elsewhere (logs, CI) one line per finished task, so logs are not flooded.
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final String task;
    private final boolean quiet, silentClose;
    private boolean closed;

    private Progress(String task, long total, boolean quiet, boolean silentClose, long initial) {
        this.task = task;
        this.quiet = quiet;
        this.silentClose = silentClose;
        this.bar = quiet || System.console() == null ? null : new ProgressBarBuilder()
                .setTaskName(task).setInitialMax(total).startsFrom(initial, java.time.Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250)
                .continuousUpdate().build();
    }

    public static Progress start(String task, long total, boolean quiet) { return new Progress(task, total, quiet, false, 0); }

    // A live bar on a terminal, starting at `initial` of `total`; nothing at all elsewhere (the
    // caller prints its own summary line).
    public static Progress bar(String task, long total, long initial) { return new Progress(task, total, false, true, initial); }

    public void step(long n) { if (bar != null) bar.stepBy(n); }

    public void message(String extra) { if (bar != null) bar.setExtraMessage(extra); }

    // A line that survives the bar (epoch summaries).
    public void log(String line) {
        if (quiet) return;
        PrintStream err = System.err;
        if (bar != null) err.print("\r\033[K");
        err.println(line);
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        if (bar != null) bar.close();
        else if (!quiet && !silentClose) System.err.println(task + ": done");
    }
}
