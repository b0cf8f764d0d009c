package dev.tauon.optim;

import dev.tauon.nn.Parameter;

import java.util.List;

// Updates parameters from their accumulated gradients. Per-parameter state (momentum, Adam
// moments) lives in arrays parallel to the parameter list; every update is elementwise in
// float with fused multiply-adds, so it is bitwise reproducible.
public sealed interface Optimizer permits Sgd, AdamW, Lars {
    void step();

    double lr();

    void setLr(double lr);

    List<Parameter> parameters();

    // The per-parameter state arrays (momentum, moments), in a fixed order, live: a checkpoint
    // saves them and a resume copies the saved values back into them.
    List<float[]> state();

    // Steps taken, for optimisers whose update depends on it (Adam's bias correction).
    default long steps() { return 0; }

    default void setSteps(long steps) {}

    default void zeroGrad() {
        for (Parameter p : parameters()) p.var().zeroGrad();
    }
}
