package dev.tauon.kernel;

import java.util.concurrent.ConcurrentLinkedQueue;

// Reusable float buffers for kernel temporaries (im2col columns), taken at the start of a
// parallel chunk and given back at its end, so a training step does not churn megabytes of
// garbage per layer. A shared pool, not a ThreadLocal: a thread joining a nested forRange (as
// inside Kernels.gemm) may run another chunk of the outer loop while its own buffer is in use.
final class Scratch {
    private static final ConcurrentLinkedQueue<float[]> FREE = new ConcurrentLinkedQueue<>();

    private Scratch() {}

    // A buffer of at least n floats, contents undefined.
    static float[] take(int n) {
        float[] b = FREE.poll();
        return b != null && b.length >= n ? b : new float[n];   // one too small is dropped
    }

    static void give(float[] b) { FREE.offer(b); }
}
