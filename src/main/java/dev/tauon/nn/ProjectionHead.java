package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.tensor.Rng;

import java.util.List;

// The projection head on top of the backbone's features: either one linear layer d -> out
// (the paper's head, 512 -> 128), or an MLP d -> hidden -> ReLU -> out (SimCLR-style).
public final class ProjectionHead implements Layer {
    private final Sequential net;

    private ProjectionHead(Sequential net) { this.net = net; }

    public static ProjectionHead linear(int in, int out, Rng rng) {
        return new ProjectionHead(new Sequential(new Linear(in, out, true, rng.split(0))));
    }

    public static ProjectionHead mlp(int in, int hidden, int out, Rng rng) {
        return new ProjectionHead(new Sequential(new Linear(in, hidden, true, rng.split(0)), new ReLU(),
                new Linear(hidden, out, true, rng.split(2))));
    }

    @Override public Var forward(Var x) { return net.forward(x); }
    @Override public List<Parameter> parameters() { return net.parameters(); }
    @Override public void setTraining(boolean training) { net.setTraining(training); }
}
