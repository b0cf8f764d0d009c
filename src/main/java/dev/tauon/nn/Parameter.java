package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

// A named trainable tensor (or a named buffer, for non-trainable state). Names are dotted paths
// ("3.weight") given by the enclosing layers, so a model's parameter list is stable.
public record Parameter(String name, Var var) {
    public Tensor value() { return var.value(); }
    public float[] data() { return var.data(); }

    public Parameter prefixed(String prefix) { return new Parameter(prefix + "." + name, var); }

    static List<Parameter> prefixAll(String prefix, List<Parameter> ps) {
        List<Parameter> out = new ArrayList<>(ps.size());
        for (Parameter p : ps) out.add(p.prefixed(prefix));
        return out;
    }
}
