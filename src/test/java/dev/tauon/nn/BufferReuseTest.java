package dev.tauon.nn;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.loss.HardContrastive;
import dev.tauon.loss.InfoNce;
import dev.tauon.loss.LossFingerprint;
import dev.tauon.loss.MemoryBank;
import dev.tauon.loss.Pairs;
import dev.tauon.ops.L2Normalize;
import dev.tauon.ops.Linear;
import dev.tauon.optim.Sgd;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// Recycling gradients and activations inside a step must not change a bit: SmallConvNet trained
// with a recycling Workspace and with one that gives every request its own buffer ends with the
// same weights, statistics and loss; so do contrastive training in the SimCLR and memory-bank
// settings and every loss in both. Recycling must also pay, and allocation stay flat.
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

    @Test void contrastiveTrainingInBothSettingsIsUnchangedByRecycling() {
        for (String setting : new String[] {"simclr", "bank"}) {
            Workspace reuse = new Workspace(), own = new Workspace(false);
            assertEquals(contrastive(setting, 4, own), contrastive(setting, 4, reuse), setting);
            assertTrue(reuse.allocatedBytes() < own.allocatedBytes(), setting + ": recycling allocated " + reuse.allocatedBytes()
                    + " bytes, one buffer per request " + own.allocatedBytes());
        }
    }

    // LossFingerprint builds and differentiates every loss in both settings one after another;
    // inside one recycling step, each reuses the buffers the previous ones released.
    @Test void everyLossInBothSettingsIsUnchangedByRecycling() {
        List<String> plain = LossFingerprint.lines(), recycled;
        try (var step = Workspace.step(new Workspace())) {
            recycled = LossFingerprint.lines();
        }
        assertEquals(plain, recycled);
    }

    // Contrastive steps of a small conv net + MLP head on fixed 12×12 images: "simclr" is
    // InfoNCE over the 2N views of N images; "bank" is the hard loss of N anchors against a
    // 40-entry MemoryBank, which each step updates. A hash of the weights, statistics, bank and loss.
    static String contrastive(String setting, int steps, Workspace ws) {
        Rng rng = Rng.seeded(18);
        int n = 6;
        Layer net = new Sequential(new Conv2d(1, 4, 3, 1, 1, rng.split(1)), new BatchNorm(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 2, 1, rng.split(2)), new BatchNorm(8), new ReLU(), new GlobalAvgPool(),
                ProjectionHead.mlp(8, 16, 8, rng.split(3)));
        Sgd sgd = new Sgd(net.parameters(), 0.05, 0.9, true, 5e-4);
        boolean simclr = setting.equals("simclr");
        Tensor x = Tensor.zeros(simclr ? 2 * n : n, 1, 12, 12);
        rng.split(4).fillNormal(x.data(), 0, x.size(), 0, 1);
        MemoryBank bank = new MemoryBank(40, 8, 0.5f, rng.split(5));
        int[] idx = {3, 17, 0, 25, 39, 8};
        float loss = 0;
        for (int s = 0; s < steps; s++) {
            try (var step = Workspace.step(ws)) {
                Var z = L2Normalize.apply(net.forward(Var.constant(x)));
                Var l = simclr ? new InfoNce(0.2f).apply(Linear.apply(z, z, null), Pairs.simclr(n))
                        : new HardContrastive(0.2f, 10).apply(bank.similarity(z), Pairs.bank(idx));
                sgd.zeroGrad();
                l.backward();
                sgd.step();
                if (!simclr) bank.update(idx, z.data());
                loss = l.data()[0];
            }
        }
        long h = Float.floatToRawIntBits(loss);
        List<Parameter> all = new ArrayList<>(net.parameters());
        all.addAll(net.buffers());
        for (Parameter p : all) for (float v : p.data()) h = 31 * h + Float.floatToRawIntBits(v);
        for (float v : bank.data()) h = 31 * h + Float.floatToRawIntBits(v);
        return setting + " " + Long.toHexString(h);
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
