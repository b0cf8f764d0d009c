package dev.tauon.autograd;

// Grad mode: on by default; `try (var off = Grad.off()) { ... }` evaluates without recording
// the graph (evaluation, metrics, the memory bank). Scopes nest; the mode is per thread.
public final class Grad {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Grad() {}

    public static boolean enabled() { return DISABLED_DEPTH.get()[0] == 0; }

    public static Scope off() {
        int[] depth = DISABLED_DEPTH.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
