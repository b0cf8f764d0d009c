package dev.tauon.data;

import java.util.Arrays;

// A labelled image set in memory: images is (N, C, H, W) row-major, labels in 0..classes-1.
// The arrays are shared, not copied; subset and head copy.
public record Dataset(String name, float[] images, int[] labels, int n, int c, int h, int w, int classes) {

    public Dataset {
        if (n < 0 || c < 1 || h < 1 || w < 1 || classes < 1) {
            throw new IllegalArgumentException("dataset " + name + ": bad shape (N,C,H,W) = (" + n + "," + c + "," + h + "," + w + ") or classes " + classes);
        }
        if (images.length != (long) n * c * h * w || labels.length != n) {
            throw new IllegalArgumentException("dataset " + name + " of shape (" + n + "," + c + "," + h + "," + w + ") needs "
                    + (long) n * c * h * w + " pixels and " + n + " labels, got " + images.length + " and " + labels.length);
        }
    }

    // Floats per sample: C*H*W.
    public int sampleSize() { return c * h * w; }

    // The samples at the given indices, in that order (repeats allowed).
    public Dataset subset(int[] indices) {
        int s = sampleSize();
        float[] x = new float[indices.length * s];
        int[] y = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            if (i < 0 || i >= n) throw new IndexOutOfBoundsException("index " + i + " outside dataset " + name + " of " + n + " samples");
            System.arraycopy(images, i * s, x, j * s, s);
            y[j] = labels[i];
        }
        return new Dataset(name, x, y, indices.length, c, h, w, classes);
    }

    // The first count samples.
    public Dataset head(int count) {
        if (count < 0 || count > n) throw new IllegalArgumentException("head(" + count + ") of dataset " + name + " with " + n + " samples");
        return new Dataset(name, Arrays.copyOf(images, count * sampleSize()), Arrays.copyOf(labels, count), count, c, h, w, classes);
    }

    // The first count samples of the class-balanced order (what --limit takes): round-robin over
    // the classes, each class's samples in index order (class 0's first, class 1's first, ...,
    // class 0's second, ...); a class that has run out is skipped.
    public Dataset balancedHead(int count) {
        if (count < 1 || count > n) {
            throw new IllegalArgumentException("--limit must be in 1.." + n + " (the size of " + name + "), got " + count);
        }
        return subset(balancedOrder(count));
    }

    // The indices of balancedHead(count), in order.
    int[] balancedOrder(int count) {
        int[] counts = classCounts(), start = new int[classes + 1];
        for (int k = 0; k < classes; k++) start[k + 1] = start[k] + counts[k];
        int[] byClass = new int[n], fill = start.clone();   // indices grouped by class, each group in index order
        for (int i = 0; i < n; i++) byClass[fill[labels[i]]++] = i;
        int[] active = new int[classes], order = new int[count];
        int live = 0, taken = 0;
        for (int k = 0; k < classes; k++) if (counts[k] > 0) active[live++] = k;
        for (int round = 0; taken < count; round++) {
            int kept = 0;
            for (int a = 0; a < live && taken < count; a++) {
                int k = active[a];
                order[taken++] = byClass[start[k] + round];
                if (round + 1 < counts[k]) active[kept++] = k;
            }
            live = kept;   // if taken hit count mid-round, the loop ends anyway
        }
        return order;
    }

    // How many samples carry each label.
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int y : labels) counts[y]++;
        return counts;
    }

    // Per-channel mean and population std over all samples and pixels, accumulated in double
    // in index order (so the result is the same on every run).
    public ChannelStats channelStats() {
        int hw = h * w;
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    double v = images[off + j];
                    s += v;
                    s2 += v * v;
                }
            }
            double count = (double) n * hw, m = count > 0 ? s / count : 0;
            mean[ch] = (float) m;
            std[ch] = (float) Math.sqrt(Math.max(0, count > 0 ? s2 / count - m * m : 0));
        }
        return new ChannelStats(mean, std);
    }

    // Normalisation constants; a channel with std 0 is only shifted.
    public record ChannelStats(float[] mean, float[] std) {
        // x[off ..) holds one sample (C, H*W): x = (x - mean[ch]) / std[ch], in place.
        public void normalize(float[] x, int off, int hw) {
            for (int ch = 0; ch < mean.length; ch++) {
                float m = mean[ch], inv = std[ch] > 0 ? 1f / std[ch] : 1f;
                int base = off + ch * hw;
                for (int j = 0; j < hw; j++) x[base + j] = (x[base + j] - m) * inv;
            }
        }
    }
}
