package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.metrics.KnnClassifier;
import dev.tauon.metrics.Tolerance;
import dev.tauon.metrics.Uniformity;
import dev.tauon.ops.L2Normalize;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

// Every loss (value and input gradient, both settings) and the metrics on fixed random
// embeddings, as hashes of the raw bits; other thread counts, vector widths and the scalar
// twins must give the same lines (dev.tauon.DeterminismTest).
public final class LossFingerprint {
    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        int n = 24, d = 16, bankSize = 5000;
        float[] raw = new float[2 * n * d];
        Rng.seeded(11).fillNormal(raw, 0, raw.length, 0, 1);
        MemoryBank bank = new MemoryBank(bankSize, d, 0.5f, Rng.seeded(12));
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = Rng.seeded(13).nextInt(i, bankSize);
        List<ContrastiveLoss> losses = List.of(new InfoNce(0.07f), new HardContrastive(0.2f, 300), new HardContrastive(0.2f, 5),
                new SimpleContrastive(), new HardSimple(50), new TripletLimit(), Decoupled.dcl(0.1f), Decoupled.dclw(0.1f));
        for (ContrastiveLoss loss : losses) {
            Var z = Var.param(Tensor.of(raw.clone(), 2 * n, d));
            Var zn = L2Normalize.apply(z);
            Var simclr = loss.apply(dev.tauon.ops.Linear.apply(zn, zn, null), Pairs.simclr(n));
            simclr.backward();
            out.add(loss.name() + " simclr " + Float.floatToRawIntBits(simclr.data()[0]) + " " + hash(z.grad().data()));
            Var q = Var.param(Tensor.of(java.util.Arrays.copyOf(raw, n * d), n, d));
            Var banked = loss.apply(bank.similarity(L2Normalize.apply(q)), Pairs.bank(idx));
            banked.backward();
            out.add(loss.name() + " bank " + Float.floatToRawIntBits(banked.data()[0]) + " " + hash(q.grad().data()));
        }
        int[] labels = new int[bankSize];
        for (int i = 0; i < bankSize; i++) labels[i] = i % 7;
        int[] qLabels = java.util.Arrays.copyOf(labels, n);
        out.add("uniformity " + Double.doubleToRawLongBits(Uniformity.of(bank.data(), bankSize, d)));
        out.add("tolerance " + Double.doubleToRawLongBits(Tolerance.of(java.util.Arrays.copyOf(raw, n * d), n, qLabels, null, bank.data(), bankSize, labels, d)));
        out.add("knn " + java.util.Arrays.hashCode(KnnClassifier.predict(raw, 2 * n, bank.data(), bankSize, labels, 7, d, KnnClassifier.Config.paper())));
        return out;
    }

    static String hash(float[] x) {
        long h = 1125899906842597L;
        for (float v : x) h = 31 * h + Float.floatToRawIntBits(v);
        return Long.toHexString(h);
    }
}
