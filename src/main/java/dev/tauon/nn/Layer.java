package dev.tauon.nn;

import dev.tauon.autograd.Var;

import java.util.List;

// A differentiable building block. parameters() lists trainable tensors in a stable, named
// order (checkpoints and optimisers rely on it); buffers() lists non-trainable state such as
// batch-norm running statistics. Training mode matters only to layers like batch norm.
public interface Layer {
    Var forward(Var x);

    default List<Parameter> parameters() { return List.of(); }

    default List<Parameter> buffers() { return List.of(); }

    default void setTraining(boolean training) {}
}
