package dev.tauon.experiment;

import dev.tauon.data.Dataset;
import dev.tauon.data.Datasets;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

// Embedding a split in batches of 500: a split that is not a multiple of 500 is embedded whole,
// and an image's embedding does not depend on the batch it fell in (batch norm in eval mode).
class EvaluationTest {
    @Test void aShortLastBatchIsEmbeddedLikeAnyOther() {
        Dataset all = Datasets.load("fashion-mnist-small", null).test().balancedHead(503);
        RunConfig cfg = RunConfig.fromMap(Map.of(), "test").resolve("fashion-mnist-small", all.n(), all.c());
        Model model = new Model(cfg, all.c(), Rng.seeded(3));
        Dataset.ChannelStats stats = all.channelStats();
        Evaluation.Embeddings e = Evaluation.embed(model, all, stats, null, null, 0);
        assertEquals(503 * model.dim, e.z().length);
        Evaluation.Embeddings last = Evaluation.embed(model, all.subset(new int[] {502}), stats, null, null, 0);
        assertArrayEquals(last.z(), Arrays.copyOfRange(e.z(), 502 * model.dim, 503 * model.dim), "image 502 alone and in the short batch");
        assertArrayEquals(last.h(), Arrays.copyOfRange(e.h(), 502 * model.features, 503 * model.features));
    }
}
