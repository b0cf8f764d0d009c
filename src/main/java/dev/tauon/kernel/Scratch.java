package dev.tauon.kernel;

import java.util.ArrayList;

// Reusable float buffers for kernel temporaries (im2col columns), taken at the start of a
// parallel chunk and given back at its end, so a training step does not churn megabytes of
// garbage per layer. A shared pool, not a ThreadLocal: a thread joining a nested forRange (as
// inside Kernels.gemm) may run another chunk of the outer loop while its own buffer is in use.
final class Scratch {
    private static final ArrayList<float[]> FREE = new ArrayList<>();

    private Scratch() {}

    // A buffer of at least n floats, contents undefined: the smallest free one that fits; when
    // none fits, the largest free one is dropped for a new one, so the pool never outgrows the
    // most buffers ever in use at once.
    static synchronized float[] take(int n) {
        int fit = -1, largest = -1;
        for (int i = 0; i < FREE.size(); i++) {
            int len = FREE.get(i).length;
            if (len >= n && (fit < 0 || len < FREE.get(fit).length)) fit = i;
            if (largest < 0 || len > FREE.get(largest).length) largest = i;
        }
        if (fit >= 0) return FREE.remove(fit);
        if (largest >= 0) FREE.remove(largest);
        return new float[n];
    }

    static synchronized void give(float[] b) { FREE.add(b); }
}
