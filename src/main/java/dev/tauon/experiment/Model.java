package dev.tauon.experiment;

import dev.tauon.autograd.Var;
import dev.tauon.nn.Parameter;
import dev.tauon.nn.ProjectionHead;
import dev.tauon.nn.ResNet18;
import dev.tauon.nn.Sequential;
import dev.tauon.nn.SmallConvNet;
import dev.tauon.ops.L2Normalize;
import dev.tauon.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

// The network of a run: backbone f (features h) and projection head g (embedding z on the unit
// sphere). Parameter and buffer names follow PyTorch's state_dict: "backbone.0.weight",
// "backbone.1.running_mean", "head.0.weight", ...
public final class Model {
    public final Sequential backbone;
    public final ProjectionHead head;
    public final int features, dim;

    public record Output(Var h, Var z) {}

    public Model(RunConfig cfg, int channels, Rng rng) {
        features = cfg.model().equals("resnet18") ? ResNet18.FEATURES : SmallConvNet.FEATURES;
        dim = cfg.dim();
        backbone = cfg.model().equals("resnet18") ? ResNet18.create(channels, rng.split(1)) : SmallConvNet.create(channels, rng.split(1));
        head = cfg.head().equals("mlp") ? ProjectionHead.mlp(features, features, dim, rng.split(2)) : ProjectionHead.linear(features, dim, rng.split(2));
    }

    // x: (N,C,H,W) -> h: (N,features), z: (N,dim) with unit rows
    public Output forward(Var x) {
        Var h = backbone.forward(x);
        return new Output(h, L2Normalize.apply(head.forward(h)));
    }

    public void setTraining(boolean training) {
        backbone.setTraining(training);
        head.setTraining(training);
    }

    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : backbone.parameters()) ps.add(p.prefixed("backbone"));
        for (Parameter p : head.parameters()) ps.add(p.prefixed("head"));
        return ps;
    }

    public List<Parameter> buffers() {
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : backbone.buffers()) ps.add(p.prefixed("backbone"));
        for (Parameter p : head.buffers()) ps.add(p.prefixed("head"));
        return ps;
    }

    // Parameters then buffers: the state a checkpoint or weights file holds.
    public List<Parameter> state() {
        List<Parameter> ps = parameters();
        ps.addAll(buffers());
        return ps;
    }
}
