package dev.tauon.nn;

import dev.tauon.autograd.Var;

import java.util.ArrayList;
import java.util.List;

// Layers applied in order; parameters are named "<index>.<name>". A BatchNorm directly
// followed by a ReLU, and by a MaxPool2d after that, runs as one fused op
// (BatchNorm.forwardRelu / forwardReluPool: the same bits, less memory traffic).
public final class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) { this.layers = List.of(layers); }

    public Sequential(List<Layer> layers) { this.layers = List.copyOf(layers); }

    public List<Layer> layers() { return layers; }

    @Override public Var forward(Var x) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof BatchNorm bn && layer(i + 1) instanceof ReLU) {
                if (layer(i + 2) instanceof MaxPool2d pool) {
                    x = bn.forwardReluPool(x, pool.size());
                    i += 2;
                } else {
                    x = bn.forwardRelu(x);
                    i++;
                }
            } else {
                x = layers.get(i).forward(x);
            }
        }
        return x;
    }

    private Layer layer(int i) { return i < layers.size() ? layers.get(i) : null; }

    @Override public List<Parameter> parameters() { return collect(false); }

    @Override public List<Parameter> buffers() { return collect(true); }

    private List<Parameter> collect(boolean buffers) {
        List<Parameter> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            out.addAll(Parameter.prefixAll(String.valueOf(i), buffers ? l.buffers() : l.parameters()));
        }
        return out;
    }

    @Override public void setTraining(boolean training) {
        for (Layer l : layers) l.setTraining(training);
    }
}
