package dev.tauon.tensor;

// Counter-based random numbers: value i of a stream is a pure function of (key, i), so any
// sample's randomness is the same whichever thread draws it and in whatever order.
// Streams are derived by key, e.g. rng.split(epoch).split(sample).split(PURPOSE_CROP).
// The mixer is SplitMix64's finaliser; normals use Box-Muller in double with StrictMath,
// which is bit-reproducible on every platform.
public record Rng(long key) {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public static Rng seeded(long seed) { return new Rng(mix(seed + GOLDEN)); }

    // An independent stream, keyed by this stream's key and the given label.
    public Rng split(long label) { return new Rng(mix(key ^ mix(label * GOLDEN + 0x632BE59BD9B4E019L))); }

    // 64 random bits at position i.
    public long bits(long i) { return mix(key + (i + 1) * GOLDEN); }

    // Uniform float in [0, 1): the top 24 bits, so every value is exactly representable.
    public float uniform(long i) { return (bits(i) >>> 40) * 0x1.0p-24f; }

    // Uniform double in [0, 1) with 53 bits.
    public double uniformDouble(long i) { return (bits(i) >>> 11) * 0x1.0p-53; }

    // Uniform int in [0, bound), bias-free to 2^-32 (Lemire's multiply-high on 32 bits is
    // biased by < bound / 2^32; we use 64-bit products so the bias is < bound / 2^64).
    public int nextInt(long i, int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        return (int) Math.multiplyHigh(bits(i) >>> 1, (long) bound << 1);
    }

    // Standard normal at position i (uses positions 2i and 2i+1 of a derived stream).
    public float normal(long i) {
        double u1 = 1.0 - uniformDouble(2 * i);       // (0, 1]
        double u2 = uniformDouble(2 * i + 1);
        return (float) (StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2));
    }

    // out[off + j] = lo + (hi - lo) * uniform(j)
    public void fillUniform(float[] out, int off, int n, float lo, float hi) {
        for (int j = 0; j < n; j++) out[off + j] = lo + (hi - lo) * uniform(j);
    }

    // out[off + j] = mean + std * normal(j)
    public void fillNormal(float[] out, int off, int n, float mean, float std) {
        for (int j = 0; j < n; j++) out[off + j] = mean + std * normal(j);
    }

    // A uniformly random permutation of 0..n-1 (Fisher-Yates driven by positions n-1 .. 1).
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int j = 0; j < n; j++) p[j] = j;
        for (int j = n - 1; j > 0; j--) {
            int r = nextInt(j, j + 1);
            int t = p[j]; p[j] = p[r]; p[r] = t;
        }
        return p;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
