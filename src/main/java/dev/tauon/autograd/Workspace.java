package dev.tauon.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

// Buffer reuse across training steps. The graph of a step is the same every step, so ops ask
// for their buffers in the same order each time: inside `Workspace.step(ws)`, the i-th request
// gets the i-th buffer of the previous step back (re-zeroed for zeros()) instead of a new
// array. Outside a step, buffers are plain allocations. Values from a step are only valid
// until the next step of the same workspace begins.
public final class Workspace {
    private static Workspace active;

    private final List<float[]> buffers = new ArrayList<>();
    private int cursor;
    private long allocatedBytes;

    // Starts a step: buffers are handed out again from the first.
    public static Scope step(Workspace ws) {
        Workspace prev = active;
        ws.cursor = 0;
        active = ws;
        return () -> active = prev;
    }

    // A buffer of n floats with unspecified contents (the caller overwrites all of it).
    public static float[] floats(int n) {
        Workspace ws = active;
        return ws == null ? new float[n] : ws.take(n, false);
    }

    // A buffer of n zeros.
    public static float[] zeros(int n) {
        Workspace ws = active;
        return ws == null ? new float[n] : ws.take(n, true);
    }

    private float[] take(int n, boolean zero) {
        if (cursor < buffers.size() && buffers.get(cursor).length == n) {
            float[] b = buffers.get(cursor++);
            if (zero) Arrays.fill(b, 0f);
            return b;
        }
        float[] b = new float[n];
        allocatedBytes += 4L * n;
        if (cursor < buffers.size()) buffers.set(cursor, b); else buffers.add(b);
        cursor++;
        return b;
    }

    // Bytes this workspace has allocated in its life (flat once the step shape is stable).
    public long allocatedBytes() { return allocatedBytes; }

    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
