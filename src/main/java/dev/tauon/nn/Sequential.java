package dev.tauon.nn;

import dev.tauon.autograd.Var;

import java.util.ArrayList;
import java.util.List;

// Layers applied in order; parameters are named "<index>.<name>". A BatchNorm directly
// followed by a ReLU runs as one fused op (BatchNorm.forwardRelu: the same bits, less memory
// traffic).
public final class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) { this.layers = List.of(layers); }

    public Sequential(List<Layer> layers) { this.layers = List.copyOf(layers); }

    public List<Layer> layers() { return layers; }

    @Override public Var forward(Var x) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof BatchNorm bn && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU) {
                x = bn.forwardRelu(x);
                i++;
            } else {
                x = layers.get(i).forward(x);
            }
        }
        return x;
    }

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
