package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.ops.GradCheck;
import dev.tauon.ops.L2Normalize;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tauon.ops.GradCheck.param;

// Central differences through the whole path raw z -> L2Normalize -> similarity -> loss, in the
// memory-bank setting (z against a constant bank) and the SimCLR setting (gradients through both views).
class LossGradTest {
    // A loss as the checks see it (ContrastiveLoss is sealed; DCLW needs the wrapper below).
    interface Probe { Var apply(Var s, Pairs pairs); String name(); }

    static Probe of(ContrastiveLoss l) {
        return new Probe() {
            @Override public Var apply(Var s, Pairs pairs) { return l.apply(s, pairs); }
            @Override public String name() { return l.name(); }
        };
    }

    static final List<Probe> LOSSES = List.of(of(new InfoNce(0.5f)), of(new HardContrastive(0.5f, 2)), of(new SimpleContrastive()),
            of(new HardSimple(3)), of(new TripletLimit()), of(Decoupled.dcl(0.5f)), new FixedWeightDclw(Decoupled.dclw(0.5f)));

    static Var bank(long seed, int n, int d) {
        Tensor b = Tensor.zeros(n, d);
        Rng.seeded(seed).fillNormal(b.data(), 0, n * d, 0, 1);
        try (var off = dev.tauon.autograd.Grad.off()) {
            return Var.constant(L2Normalize.apply(Var.constant(b)).value());
        }
    }

    @Test void memoryBankSetting() {
        MemoryBankLike bank = new MemoryBankLike(bank(7, 7, 5));
        Pairs pairs = Pairs.bank(new int[] {0, 3, 5});
        for (Probe loss : LOSSES) {
            GradCheck.check("bank " + loss.name(), v -> loss.apply(bank.similarity(L2Normalize.apply(v.get(0))), pairs), param(11, -1, 1, 3, 5));
        }
        GradCheck.check("bank supcon", v -> SupCon.apply(bank.similarity(L2Normalize.apply(v.get(0))),
                new int[] {0, 1, 0}, new int[] {0, 1, 2, 1, 0, 0, 2}, null, 0.5f), param(12, -1, 1, 3, 5));
    }

    @Test void simclrSetting() {
        for (Probe loss : LOSSES) {
            GradCheck.check("simclr " + loss.name(), v -> loss.apply(SimClr.similarity(L2Normalize.apply(v.get(0)), L2Normalize.apply(v.get(1))), Pairs.simclr(3)),
                    param(21, -1, 1, 3, 4), param(22, -1, 1, 3, 4));
        }
        GradCheck.check("simclr supcon", v -> SupCon.simclr(L2Normalize.apply(v.get(0)), L2Normalize.apply(v.get(1)), new int[] {0, 1, 0}, 0.5f),
                param(23, -1, 1, 3, 4), param(24, -1, 1, 3, 4));
    }

    // The hard loss at the reproduction study's size (SimCLR, B = 128, d = 64, K = 21 of 254
    // negatives, τ = 0.2): value and gradients against a plain double-precision reference (top-K by
    // sorting each row), the gradient by central differences of that reference. Small cases above
    // cannot reach the selection's many-row, many-candidate paths.
    @Test void hardLossAtTheStudysSizeMatchesADoubleReference() {
        int b = 128, d = 64, k = 21;
        float tau = 0.2f;
        Var z1 = param(31, -1, 1, b, d), z2 = param(32, -1, 1, b, d);
        Var loss = new HardContrastive(tau, k).apply(SimClr.similarity(L2Normalize.apply(z1), L2Normalize.apply(z2)), Pairs.simclr(b));
        loss.backward();
        double[] a = toDouble(z1.value().data()), c = toDouble(z2.value().data());
        double ref = hardReference(a, c, b, d, k, tau);
        org.junit.jupiter.api.Assertions.assertEquals(ref, loss.data()[0], 1e-5 * Math.abs(ref));
        for (int at : new int[] {0, 5 * d + 3, 77 * d + 10, b * d - 1}) {
            double h = 1e-5, keep = a[at];
            a[at] = keep + h; double up = hardReference(a, c, b, d, k, tau);
            a[at] = keep - h; double down = hardReference(a, c, b, d, k, tau);
            a[at] = keep;
            double fd = (up - down) / (2 * h), got = z1.grad().data()[at];
            org.junit.jupiter.api.Assertions.assertEquals(fd, got, 1e-4 * Math.abs(fd) + 1e-9, "d loss / d z1[" + at + "]");
        }
    }

    static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i];
        return y;
    }

    // mean over the 2B views of −s_ip/τ + log(e^{s_ip/τ} + Σ_{K most similar negatives} e^{s_ik/τ})
    static double hardReference(double[] z1, double[] z2, int b, int d, int k, float tau) {
        int n = 2 * b;
        double[][] u = new double[n][d];
        for (int i = 0; i < n; i++) {
            double[] src = i < b ? z1 : z2;
            int o = (i % b) * d;
            double norm = 0;
            for (int j = 0; j < d; j++) norm += src[o + j] * src[o + j];
            for (int j = 0; j < d; j++) u[i][j] = src[o + j] / Math.sqrt(norm);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            int p = (i + b) % n;
            double[] neg = new double[n - 2];
            double sp = 0;
            for (int j = 0, m = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < d; q++) s += u[i][q] * u[j][q];
                if (j == p) sp = s;
                else if (j != i) neg[m++] = s;
            }
            java.util.Arrays.sort(neg);
            double sum = Math.exp(sp / tau);
            for (int t = 0; t < k; t++) sum += Math.exp(neg[n - 3 - t] / tau);
            total += -sp / tau + Math.log(sum);
        }
        return total / n;
    }

    @Test void directlyOnSimilaritiesAtSmallTemperature() {
        // τ = 0.1 on well-separated similarities (steps of .05 > 2h·... so no selection flips)
        for (Probe loss : List.of(of(new InfoNce(0.1f)), of(new HardContrastive(0.1f, 2)), of(Decoupled.dcl(0.1f)), new FixedWeightDclw(Decoupled.dclw(0.1f)))) {
            Var s = Var.param(Tensor.of(new float[] {0.8f, 0.2f, -0.3f, 0.5f, 0.1f, 0.6f, 0.3f, 0.9f, -0.1f, 0.4f}, 2, 5));
            GradCheck.check("s " + loss.name(), v -> loss.apply(v.get(0), Pairs.bank(new int[] {0, 3})), List.of(s), 1e-3f, 2e-3f, 2e-2f);
        }
    }

    // DCLW treats w = 2 − A·softmax(s_ip/σ) as a constant, so central differences must hold w at
    // its value for the unperturbed input; the analytic gradient of the real DCLW must match that.
    static final class FixedWeightDclw implements Probe {
        final Decoupled dclw;
        float[] w;
        FixedWeightDclw(Decoupled dclw) { this.dclw = dclw; }
        @Override public Var apply(Var s, Pairs pairs) {
            if (dev.tauon.autograd.Grad.enabled()) {          // the analytic pass: the real op, remember w
                w = dclw.weights(s, pairs);
                return dclw.apply(s, pairs);
            }
            return dclw.withWeights(s, pairs, w);             // the perturbed passes: w fixed
        }
        @Override public String name() { return "dclw"; }
    }

    // The bank as the loss sees it: a constant (B,d)·(N,d)ᵀ product.
    record MemoryBankLike(Var bank) {
        Var similarity(Var z) { return dev.tauon.ops.Linear.apply(z, bank, null); }
    }
}
