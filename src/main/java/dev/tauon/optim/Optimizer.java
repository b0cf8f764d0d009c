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

    default void zeroGrad() {
        for (Parameter p : parameters()) p.var().zeroGrad();
    }
}
