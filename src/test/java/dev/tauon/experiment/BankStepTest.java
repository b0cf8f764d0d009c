package dev.tauon.experiment;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.cli.Main;
import dev.tauon.data.Dataset;
import dev.tauon.data.Datasets;
import dev.tauon.data.SafeTensors;
import dev.tauon.loss.MemoryBank;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

// The memory-bank setting's one step, recomputed by hand: after a run of exactly one step the
// bank's rows for the batch are normalize(0.5·m0 + 0.5·z), z the forward pass's embeddings of
// the batch's views (an earlier version copied z after backward, when its buffer already held a
// gradient, and the bank learnt nothing).
class BankStepTest {
    @TempDir Path tmp;

    @Test void theBankTakesTheForwardEmbeddings() throws Exception {
        int n = 64;
        assertEquals(0, Main.run("pretrain", "--runs", tmp.toString(), "--name", "b", "--dataset", "fashion-mnist-small", "--limit", String.valueOf(n),
                "--setting", "bank", "--batch", String.valueOf(n), "--epochs", "1", "--eval-every", "0", "--probe", "ridge"));
        Map<String, Object> cm = PretrainTest.castMap(JsonFiles.parseObject(Files.readString(tmp.resolve("b/config.json")), "c").get("config"));
        RunConfig cfg = RunConfig.fromMap(cm, "config.json");
        Dataset train = RunJob.loadData(cfg).train();

        Rng rng = Rng.seeded(cfg.seed());
        Model model = new Model(cfg, train.c(), rng.split(Pretrain.MODEL));
        MemoryBank bank = new MemoryBank(train.n(), cfg.dim(), 0.5f, rng.split(Pretrain.BANK));
        int[] idx = Arrays.copyOf(rng.split(Pretrain.ORDER).split(0).permutation(train.n()), n);
        float[] x = new float[n * train.sampleSize()];
        new Views(train, cfg.augment().toAugment(), train.channelStats(), rng.split(Pretrain.AUGMENT)).fill(idx, n, 1, 0, x);
        float[] z;
        try (var step = Workspace.step(new Workspace(false))) {
            z = model.forward(Var.constant(Tensor.of(x, n, train.c(), train.h(), train.w()))).z().data().clone();
        }
        bank.update(idx, z);

        Path ckpt = tmp.resolve("b/checkpoint/ckpt-000001-000000.safetensors");
        float[] saved = SafeTensors.read(ckpt).get("bank").data();
        assertArrayEquals(bank.data(), saved, "bank after one step");
    }
}
