package dev.tauon.autograd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// Optional per-op timing of training steps, keyed by op name and output shape. Forward time of
// an op is the time since the previous op's result was recorded (ops run back to back on the
// driving thread); backward time wraps each op's backward step. Off unless start() is called.
public final class Profiler {
    public record Entry(String key, long forwardNanos, long backwardNanos, long calls) {}

    private static boolean on;
    private static long lastMark;
    private static final Map<String, long[]> TIMES = new LinkedHashMap<>();

    private Profiler() {}

    public static void start() { TIMES.clear(); on = true; lastMark = System.nanoTime(); }

    public static void stop() { on = false; }

    public static boolean enabled() { return on; }

    // Marks the start of a forward pass (time spent before it is not charged to any op).
    public static void mark() { if (on) lastMark = System.nanoTime(); }

    static void forward(String key) {
        long now = System.nanoTime();
        long[] t = TIMES.computeIfAbsent(key, k -> new long[3]);
        t[0] += now - lastMark;
        t[2]++;
        lastMark = now;
    }

    static void backward(String key, long nanos) {
        TIMES.computeIfAbsent(key, k -> new long[3])[1] += nanos;
    }

    public static List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        TIMES.forEach((k, t) -> out.add(new Entry(k, t[0], t[1], t[2])));
        return out;
    }
}
