package dev.tauon.cli;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.nn.Layer;
import dev.tauon.nn.Linear;
import dev.tauon.nn.SmallConvNet;
import dev.tauon.ops.CrossEntropy;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// The memory estimate behind `supervised --batch` and `bench step` refusals: a SmallConvNet
// training step at 28×28 allocates, per image of the batch, at most what SupervisedCommand
// assumes, and not much less (an estimate far too high would refuse work that fits).
class SupervisedMemoryTest {
    @Test void stepBytesPerImageCoverWhatAStepAllocates() {
        long small = stepBytes(8), large = stepBytes(24);
        double perImage = (large - small) / 16.0;
        assertTrue(SupervisedCommand.STEP_BYTES_PER_IMAGE >= perImage,
                "a step allocates " + perImage + " bytes per image, the estimate is " + SupervisedCommand.STEP_BYTES_PER_IMAGE);
        assertTrue(SupervisedCommand.STEP_BYTES_PER_IMAGE <= 1.5 * perImage,
                "a step allocates " + perImage + " bytes per image, the estimate " + SupervisedCommand.STEP_BYTES_PER_IMAGE + " is far above");
    }

    // Bytes a fresh Workspace allocates for one training step (forward, loss, backward) at batch b.
    static long stepBytes(int b) {
        Rng rng = Rng.seeded(1);
        Layer net = SmallConvNet.create(1, rng.split(1));
        Linear head = new Linear(SmallConvNet.FEATURES, 10, true, rng.split(2));
        Tensor x = Tensor.zeros(b, 1, 28, 28);
        rng.split(3).fillNormal(x.data(), 0, x.size(), 0, 1);
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = i % 10;
        Workspace ws = new Workspace();
        try (var step = Workspace.step(ws)) {
            CrossEntropy.apply(head.forward(net.forward(Var.constant(x))), labels).backward();
        }
        return ws.allocatedBytes();
    }
}
