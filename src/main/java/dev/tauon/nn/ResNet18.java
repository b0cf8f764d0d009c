package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.ops.Add;
import dev.tauon.ops.Relu;
import dev.tauon.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

// ResNet-18, CIFAR variant (as the paper): 3×3 stride-1 stem, no max-pool, four stages of two
// basic blocks (64, 128, 256, 512 channels; stride 2 at stages 2–4), global average pool -> 512-d.
public final class ResNet18 {
    public static final int FEATURES = 512;

    private ResNet18() {}

    public static Sequential create(int inChannels, Rng rng) {
        List<Layer> layers = new ArrayList<>(List.of(new Conv2d(inChannels, 64, 3, 1, 1, rng.split(0)), new BatchNorm(64), new ReLU()));
        int in = 64, block = 1;
        for (int stage = 0; stage < 4; stage++) {
            int out = 64 << stage;
            for (int b = 0; b < 2; b++) {
                layers.add(new BasicBlock(in, out, stage > 0 && b == 0 ? 2 : 1, rng.split(100 + block++)));
                in = out;
            }
        }
        layers.add(new GlobalAvgPool());
        return new Sequential(layers);
    }

    // relu(bn(conv(relu(bn(conv(x))))) + shortcut(x)); shortcut = 1×1 conv + BN when the shape changes
    static final class BasicBlock implements Layer {
        private final Sequential main;
        private final Sequential shortcut;   // null: identity

        BasicBlock(int in, int out, int stride, Rng rng) {
            main = new Sequential(new Conv2d(in, out, 3, stride, 1, rng.split(0)), new BatchNorm(out), new ReLU(),
                    new Conv2d(out, out, 3, 1, 1, rng.split(1)), new BatchNorm(out));
            shortcut = stride != 1 || in != out
                    ? new Sequential(new Conv2d(in, out, 1, stride, 0, rng.split(2)), new BatchNorm(out)) : null;
        }

        @Override public Var forward(Var x) {
            return Relu.apply(Add.apply(main.forward(x), shortcut == null ? x : shortcut.forward(x)));
        }

        @Override public List<Parameter> parameters() {
            List<Parameter> ps = new ArrayList<>(Parameter.prefixAll("main", main.parameters()));
            if (shortcut != null) ps.addAll(Parameter.prefixAll("shortcut", shortcut.parameters()));
            return ps;
        }

        @Override public List<Parameter> buffers() {
            List<Parameter> ps = new ArrayList<>(Parameter.prefixAll("main", main.buffers()));
            if (shortcut != null) ps.addAll(Parameter.prefixAll("shortcut", shortcut.buffers()));
            return ps;
        }

        @Override public void setTraining(boolean training) {
            main.setTraining(training);
            if (shortcut != null) shortcut.setTraining(training);
        }
    }
}
