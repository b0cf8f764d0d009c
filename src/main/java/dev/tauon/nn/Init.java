package dev.tauon.nn;

import dev.tauon.tensor.Rng;

// Weight initialisation from the counter-based Rng: a layer's weights are a pure function of the
// model seed and the layer's position, whatever else was built before it.
public final class Init {
    private Init() {}

    // Kaiming (He) normal for ReLU networks: N(0, 2 / fanIn).
    public static void kaimingNormal(float[] w, int fanIn, Rng rng) {
        rng.fillNormal(w, 0, w.length, 0f, (float) Math.sqrt(2.0 / fanIn));
    }

    // U(−1/√fanIn, 1/√fanIn): PyTorch's default for linear layers and biases.
    public static void uniformFanIn(float[] w, int fanIn, Rng rng) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        rng.fillUniform(w, 0, w.length, -bound, bound);
    }
}
