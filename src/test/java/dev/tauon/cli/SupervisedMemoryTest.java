package dev.tauon.cli;

import dev.tauon.autograd.Grad;
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
        long small = stepBytes(8, true), large = stepBytes(24, true);
        double perImage = (large - small) / 16.0;
        assertTrue(SupervisedCommand.STEP_BYTES_PER_IMAGE >= perImage,
                "a step allocates " + perImage + " bytes per image, the estimate is " + SupervisedCommand.STEP_BYTES_PER_IMAGE);
        assertTrue(SupervisedCommand.STEP_BYTES_PER_IMAGE <= 1.5 * perImage,
                "a step allocates " + perImage + " bytes per image, the estimate " + SupervisedCommand.STEP_BYTES_PER_IMAGE + " is far above");
    }

    // Supervised.accuracy runs the test set forward in batches of 500 beside the training buffers.
    @Test void evaluationBytesCoverWhatItsForwardPassAllocates() {
        double perImage = (stepBytes(24, false) - stepBytes(8, false)) / 16.0;
        assertTrue(SupervisedCommand.EVAL_BYTES >= 500 * perImage, "evaluation allocates " + 500 * perImage + " bytes per batch of 500");
        assertTrue(SupervisedCommand.EVAL_BYTES <= 1.5 * 500 * perImage, "evaluation allocates " + 500 * perImage + " bytes, the estimate is far above");
    }

    // Bytes a fresh Workspace allocates for one training step (forward, loss, backward) at batch
    // b, or for the forward pass alone in evaluation mode.
    static long stepBytes(int b, boolean train) {
        Rng rng = Rng.seeded(1);
        Layer net = SmallConvNet.create(1, rng.split(1));
        Linear head = new Linear(SmallConvNet.FEATURES, 10, true, rng.split(2));
        Tensor x = Tensor.zeros(b, 1, 28, 28);
        rng.split(3).fillNormal(x.data(), 0, x.size(), 0, 1);
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = i % 10;
        Workspace ws = new Workspace();
        net.setTraining(train);
        try (var step = Workspace.step(ws); var off = train ? null : Grad.off()) {
            Var logits = head.forward(net.forward(Var.constant(x)));
            if (train) CrossEntropy.apply(logits, labels).backward();
        }
        return ws.allocatedBytes();
    }
}
