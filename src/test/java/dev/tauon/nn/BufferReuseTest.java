package dev.tauon.nn;

import dev.tauon.autograd.Workspace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// Recycling gradients and activations inside a step must not change a bit: SmallConvNet trained
// with a recycling Workspace and with one that gives every request its own buffer ends with the
// same weights, statistics and loss. Recycling must also pay, and allocation stay flat.
class BufferReuseTest {
    @Test void recyclingChangesNoBitAndNeedsLessMemory() {
        Workspace reuse = new Workspace(), own = new Workspace(false);
        assertEquals(TrainingFingerprint.run("full", 6, own), TrainingFingerprint.run("full", 6, reuse));
        assertEquals(TrainingFingerprint.run("small", 6, new Workspace(false)), TrainingFingerprint.run("small", 6, new Workspace()));
        // 7.0 of 11.1 MB here (8.4 of 16.3 MB before BatchNorm+ReLU were fused, which left fewer
        // intermediates to recycle)
        assertTrue(reuse.allocatedBytes() < 0.7 * own.allocatedBytes(),
                "recycling allocated " + reuse.allocatedBytes() + " bytes, one buffer per request " + own.allocatedBytes());
    }

    @Test void allocationStaysFlatAcrossSteps() {
        Workspace ws = new Workspace();
        TrainingFingerprint.run("full", 2, ws);
        long bytes = ws.allocatedBytes();
        assertTrue(bytes > 0);
        TrainingFingerprint.run("full", 8, ws);                    // a fresh model of the same shapes
        assertEquals(bytes, ws.allocatedBytes(), "steps after the first allocate nothing");
    }
}
