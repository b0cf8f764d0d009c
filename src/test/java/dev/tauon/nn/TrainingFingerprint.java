package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.ops.CrossEntropy;
import dev.tauon.optim.Sgd;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

// Trains a model for a number of SGD steps on one fixed batch: a hash of every parameter and
// buffer. Compared across thread counts, vector widths and the scalar twins (bit for bit,
// dev.tauon.DeterminismTest) and across Workspace recycling (BufferReuseTest).
public final class TrainingFingerprint {
    public static String run(String model, int steps) { return run(model, steps, new Workspace()); }

    public static String run(String model, int steps, Workspace ws) {
        Rng rng = Rng.seeded(2021);
        boolean full = model.equals("full");
        int batch = full ? 8 : 6, size = full ? 28 : 12;
        Layer backbone = full ? SmallConvNet.create(1, rng.split(1)) : new Sequential(
                new Conv2d(1, 4, 3, 1, 1, rng.split(1)), new BatchNorm(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 2, 1, rng.split(2)), new BatchNorm(8), new ReLU(), new GlobalAvgPool());
        Linear head = new Linear(full ? SmallConvNet.FEATURES : 8, 10, true, rng.split(3));
        List<Parameter> params = new ArrayList<>(backbone.parameters());
        params.addAll(head.parameters());
        Sgd sgd = new Sgd(params, 0.05, 0.9, true, 5e-4);
        Tensor x = Tensor.zeros(batch, 1, size, size);
        rng.split(4).fillNormal(x.data(), 0, x.size(), 0, 1);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.split(5).nextInt(i, 10);
        float loss = 0;
        for (int s = 0; s < steps; s++) {
            try (var step = Workspace.step(ws)) {
                Var l = CrossEntropy.apply(head.forward(backbone.forward(Var.constant(x))), labels);
                sgd.zeroGrad();
                l.backward();
                sgd.step();
                loss = l.data()[0];
            }
        }
        long h = 1125899906842597L;
        List<Parameter> all = new ArrayList<>(params);
        all.addAll(backbone.buffers());
        for (Parameter p : all) for (float v : p.data()) h = 31 * h + Float.floatToRawIntBits(v);
        return model + " steps=" + steps + " loss=" + Float.floatToRawIntBits(loss) + " state=" + Long.toHexString(h);
    }
}
