package dev.tauon.experiment;

import sun.misc.Signal;

// Stopping a run cleanly: SIGINT, SIGTERM and SIGUSR1 (Slurm's warning before preemption) set a
// flag that the training loop reads between steps; it then writes a checkpoint and ends with
// Stopped (exit status 128 + the signal's number). A second SIGINT exits at once.
public final class Stop {
    private static volatile int signal;   // 0: none

    private Stop() {}

    public static void install() {
        for (String name : new String[] {"INT", "TERM", "USR1"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (signal != 0 && s.getName().equals("INT")) Runtime.getRuntime().halt(130);
                    signal = s.getNumber();
                });
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal for itself on this platform: not catchable, fine
            }
        }
    }

    public static boolean requested() { return signal != 0; }

    // For tests: as if the signal with this number had arrived (0 clears).
    public static void request(int number) { signal = number; }

    static Stopped stopped(String where) {
        int s = signal;
        String name = s == 2 ? "SIGINT" : s == 15 ? "SIGTERM" : s == 10 ? "SIGUSR1" : "signal " + s;
        return new Stopped(128 + s, name + ": " + where);
    }

    // The run ended early on purpose (a signal) or could not go on (divergence); exitCode says which.
    public static final class Stopped extends RuntimeException {
        private final int exitCode;

        public Stopped(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() { return exitCode; }
    }
}
