package dev.tauon.autograd;

// Grad mode: on by default; `try (var off = Grad.off()) { ... }` evaluates without recording
// the graph (evaluation, metrics, the memory bank). Scopes nest. Set from the driving thread.
public final class Grad {
    private static int disabledDepth = 0;

    private Grad() {}

    public static boolean enabled() { return disabledDepth == 0; }

    public static Scope off() {
        disabledDepth++;
        return () -> disabledDepth--;
    }

    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
