package dev.tauon.data;

import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;

import java.util.Arrays;

// Deterministic mini-batches. Epoch e visits the samples in the order rng.split(e).permutation(N),
// a pure function of the seed and e; batch b is positions [b*B, b*B + B) of that order. Batches are
// copied into buffers the caller owns and reuses; samples are filled in parallel, each into its
// own slot, so the result is the same for any thread count.
public final class Loader {
    // Called on each copied sample, x[off .. off + C*H*W), in place; any randomness must come
    // from (seed, epoch, sample), e.g. Rng.seeded(seed).split(epoch).split(sample), never from
    // the calling thread or the call order.
    public interface Transform { void apply(float[] x, int off, int sample, int epoch); }

    private static final int GRAIN = 16;   // samples per parallel chunk, fixed by the problem

    private final Dataset data;
    private final int batchSize;
    private final boolean dropLast;
    private final Rng rng;
    private final Transform transform;

    // transform may be null.
    public Loader(Dataset data, int batchSize, boolean dropLast, Rng rng, Transform transform) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        this.data = data;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.rng = rng;
        this.transform = transform;
    }

    public Dataset data() { return data; }
    public int batchSize() { return batchSize; }

    // Full batches, plus a shorter last one unless dropLast.
    public int batchesPerEpoch() {
        int n = data.n();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    // Buffers of the right size for fill: images (B, C, H, W) and labels (B).
    public float[] newImageBuffer() { return new float[batchSize * data.sampleSize()]; }
    public int[] newLabelBuffer() { return new int[batchSize]; }

    public Epoch epoch(int epoch) { return new Epoch(epoch, rng.split(epoch).permutation(data.n())); }

    public final class Epoch {
        private final int index;
        private final int[] order;

        private Epoch(int index, int[] order) { this.index = index; this.order = order; }

        public int index() { return index; }
        public int batches() { return batchesPerEpoch(); }

        // The dataset indices of batch b, in batch order.
        public int[] indices(int b) {
            int lo = start(b);
            return Arrays.copyOfRange(order, lo, lo + size(b));
        }

        // Copies batch b into x (B, C, H, W) and y (B), applying the transform; returns its size,
        // which is B except for a short last batch (entries past it are left as they were).
        public int fill(int b, float[] x, int[] y) {
            int s = data.sampleSize(), lo = start(b), count = size(b);
            if (x.length < count * s || y.length < count) {
                throw new IllegalArgumentException("batch of " + count + " samples of " + s + " floats needs buffers of "
                        + count * s + " and " + count + ", got " + x.length + " and " + y.length);
            }
            float[] images = data.images();
            int[] labels = data.labels();
            Parallel.forRange(count, GRAIN, (from, to) -> {
                for (int j = from; j < to; j++) {
                    int i = order[lo + j];
                    System.arraycopy(images, i * s, x, j * s, s);
                    y[j] = labels[i];
                    if (transform != null) transform.apply(x, j * s, i, index);
                }
            });
            return count;
        }

        private int start(int b) {
            if (b < 0 || b >= batchesPerEpoch()) {
                throw new IndexOutOfBoundsException("batch " + b + " of an epoch of " + batchesPerEpoch() + " batches");
            }
            return b * batchSize;
        }

        private int size(int b) { return Math.min(batchSize, data.n() - b * batchSize); }
    }
}
