package dev.tauon.autograd;

import dev.tauon.kernel.Kernels;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

// Buffer reuse across and within training steps. Inside `Workspace.step(ws)` buffers come from
// free lists keyed by size; release() hands one back as soon as its life ends (backward frees
// each intermediate gradient once its node has run, and each activation once no backward reads
// it), so later requests of that size reuse it. Every step starts with all buffers free, in
// allocation order beneath anything released, so a step with the same requests and releases as
// the previous one (the first included) gets the same buffers and allocates nothing. Outside a
// step buffers are plain allocations. Values are valid until the next step; released ones only
// until the next request.
public final class Workspace {
    // Per thread, so that runs driven from different threads never share a step's buffers.
    private static final ThreadLocal<Workspace> ACTIVE = new ThreadLocal<>();

    private final boolean recycle;
    private final List<float[]> buffers = new ArrayList<>();           // first-allocation order
    private final Map<float[], Boolean> taken = new IdentityHashMap<>(); // handed out now?
    private final Set<float[]> used = Collections.newSetFromMap(new IdentityHashMap<>()); // this step
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long allocatedBytes;

    public Workspace() { this(true); }

    // recycle = false: release() is ignored and every request of a step gets its own buffer
    // (the reference behaviour, for tests).
    public Workspace(boolean recycle) { this.recycle = recycle; }

    // Starts a step: every buffer used in the previous step is free again; unused ones are dropped.
    public static Scope step(Workspace ws) {
        Workspace prev = ACTIVE.get();
        ws.reset();
        ACTIVE.set(ws);
        return () -> ACTIVE.set(prev);
    }

    // A buffer of n floats with unspecified contents (the caller overwrites all of it).
    public static float[] floats(int n) {
        Workspace ws = ACTIVE.get();
        return ws == null ? new float[n] : ws.take(n, false);
    }

    // A buffer of n zeros.
    public static float[] zeros(int n) {
        Workspace ws = ACTIVE.get();
        return ws == null ? new float[n] : ws.take(n, true);
    }

    // Hands b back to the active step's free list: its contents are dead and it may be handed out
    // by the next request of its size. A buffer the active step did not hand out is ignored.
    public static void release(float[] b) {
        Workspace ws = ACTIVE.get();
        if (ws != null && ws.recycle) ws.giveBack(b);
    }

    static Workspace active() { return ACTIVE.get(); }

    private void reset() {
        buffers.removeIf(b -> !used.contains(b));
        used.clear();
        taken.clear();
        free.clear();
        for (float[] b : buffers) {
            free.computeIfAbsent(b.length, k -> new ArrayDeque<>()).addLast(b);   // polled in allocation order
            taken.put(b, false);
        }
    }

    private float[] take(int n, boolean zero) {
        ArrayDeque<float[]> list = free.get(n);
        float[] b = list == null ? null : list.poll();
        if (b != null) {
            if (zero) Kernels.fill(b, 0, n, 0f);
        } else {
            b = new float[n];
            allocatedBytes += 4L * n;
            buffers.add(b);
        }
        taken.put(b, true);
        used.add(b);
        return b;
    }

    private void giveBack(float[] b) {
        Boolean t = taken.get(b);
        if (t == null) return;
        if (!t) throw new IllegalStateException("workspace: a buffer of " + b.length + " floats was released twice");
        taken.put(b, false);
        free.computeIfAbsent(b.length, k -> new ArrayDeque<>()).push(b);
    }

    // Bytes this workspace has allocated in its life (flat once the step shape is stable).
    public long allocatedBytes() { return allocatedBytes; }

    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
