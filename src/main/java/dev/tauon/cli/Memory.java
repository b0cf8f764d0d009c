package dev.tauon.cli;

import java.lang.management.ManagementFactory;
import java.util.Locale;

// Work that cannot fit in the Java heap is refused before it starts, with the size it needs and
// how to give Java more; an OutOfMemoryError that gets through anyway becomes one line of the
// same advice (Main). Estimates are the large arrays a command allocates, counted from its code.
final class Memory {
    private Memory() {}

    static final double GIB = 1024.0 * 1024 * 1024;

    // Throws a UserError when `bytes` more would not fit next to what the heap already holds.
    static void require(String what, long bytes) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory(), max = rt.maxMemory();
        // 10% headroom: a full heap spends its time in GC, and large arrays need contiguous room
        if (bytes <= 0.9 * (max - used)) return;
        throw new UserError(what + " needs about " + gib(bytes) + " of memory, more than the " + gib(max - used)
                + " free in Java's heap of " + gib(max) + "; " + advice(used + bytes));
    }

    // How to give Java the `bytes` a piece of work needs, or that this machine cannot.
    static String advice(long bytes) {
        long machine = machineBytes();
        long want = (long) Math.ceil(bytes * 1.15 / GIB) + 1;   // GiB, with room for the JVM's own needs
        String more = "give Java more with TAUON_JAVA_OPTS=-Xmx" + want + "g";
        if (machine <= 0) return more + " or choose smaller sizes";
        if (want * GIB > machine) return "that is more than this machine's " + gib(machine) + "; choose smaller sizes";
        return more + " (this machine has " + gib(machine) + ") or choose smaller sizes";
    }

    static String gib(long bytes) { return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB); }

    // The machine's (or the container's) memory, or 0 when the JVM cannot tell.
    static long machineBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
