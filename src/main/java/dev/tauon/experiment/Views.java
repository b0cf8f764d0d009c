package dev.tauon.experiment;

import dev.tauon.data.Augment;
import dev.tauon.data.Dataset;
import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;

// Augmented views of a batch of images, normalised with the training set's channel statistics.
// View v of image i in epoch e draws its randomness from rng.split(e).split(i).split(v) alone, so
// the pixels do not depend on the thread count, the batch the image falls in, or the order.
final class Views {
    private static final int GRAIN = 8;    // images per parallel chunk (fixed by the problem)

    private final Dataset data;
    private final Augment augment;          // null: clean (normalised only)
    private final Dataset.ChannelStats stats;
    private final Rng rng;

    Views(Dataset data, Augment augment, Dataset.ChannelStats stats, Rng rng) {
        this.data = data;
        this.augment = augment;
        this.stats = stats;
        this.rng = rng;
    }

    // x: (views·n, C, H, W); view v of image idx[j] goes to row v·n + j
    void fill(int[] idx, int n, int views, int epoch, float[] x) {
        int s = data.sampleSize(), hw = data.h() * data.w();
        float[] images = data.images();
        Rng er = augment == null ? null : rng.split(epoch);
        Parallel.forRange(n * views, GRAIN, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int v = t / n, j = t % n, i = idx[j], dst = t * s;
                if (augment == null) System.arraycopy(images, i * s, x, dst, s);
                else augment.apply(images, i * s, x, dst, data.c(), data.h(), data.w(), er.split(i).split(v));
                stats.normalize(x, dst, hw);
            }
        });
    }
}
