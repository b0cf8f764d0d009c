package dev.tauon.optim;

import dev.tauon.autograd.Var;
import dev.tauon.nn.Parameter;
import dev.tauon.ops.MatMul;
import dev.tauon.ops.Mul;
import dev.tauon.ops.Sub;
import dev.tauon.ops.Sum;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

class OptimizerTest {
    static Parameter scalarWithGrad(float w, float g) {
        Var v = Var.param(Tensor.of(new float[] {w}, 1));
        v.gradData()[0] = g;
        return new Parameter("w", v);
    }

    @Test void sgdMatchesHandComputedSteps() {
        Parameter p = scalarWithGrad(1f, 0.5f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, false, 0.01);
        sgd.step();                       // g' = 0.51, v = 0.51, w = 1 − 0.051
        assertEquals(0.949f, p.data()[0], 1e-7f);
        sgd.step();                       // g' = 0.5 + 0.00949, v = 0.9·0.51 + g', w −= 0.1·v
        assertEquals(0.949f - 0.1f * (0.9f * 0.51f + 0.50949f), p.data()[0], 1e-6f);

        Parameter q = scalarWithGrad(1f, 0.5f);
        new Sgd(List.of(q), 0.1, 0.9, true, 0.01).step();   // d = g' + μ·v = 0.51 + 0.459
        assertEquals(1f - 0.0969f, q.data()[0], 1e-6f);
    }

    @Test void adamWMatchesHandComputedFirstStep() {
        Parameter p = scalarWithGrad(1f, 0.5f);
        new AdamW(List.of(p), 0.1, 0.01).step();   // decay to 0.999, then m̂/√v̂ = sign(g)
        assertEquals(0.999f - 0.1f, p.data()[0], 1e-6f);
    }

    @Test void larsScalesByTheTrustRatioAndSkipsBiases() {
        Var w = Var.param(Tensor.of(new float[] {3f, 4f}, 1, 2));       // ‖w‖ = 5
        w.gradData()[0] = 0.6f; w.gradData()[1] = 0.8f;                  // ‖g‖ = 1, wd = 0
        Parameter bias = scalarWithGrad(1f, 2f);
        new Lars(List.of(new Parameter("w", w), bias), 1.0, 0.9, 0.0, 0.001).step();
        assertEquals(3f - 0.005f * 0.6f, w.data()[0], 1e-6f);           // trust = 0.001·5/1
        assertEquals(1f - 2f, bias.data()[0], 1e-6f);                   // no adaptation for 1-d
    }

    @Test void everyOptimizerSolvesALeastSquaresProblem() {
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> new Sgd(ps, 0.05, 0.9, false, 0),
                ps -> new Sgd(ps, 0.05, 0.9, true, 0),
                ps -> new AdamW(ps, 0.05, 0),
                ps -> new Lars(ps, 2.0, 0.9, 0, 0.02));
        for (var make : makers) {
            Tensor x = Tensor.zeros(16, 4), target = Tensor.zeros(16, 3), w0 = Tensor.zeros(4, 3);
            Rng.seeded(1).fillNormal(x.data(), 0, x.size(), 0, 1);
            Rng.seeded(2).fillNormal(target.data(), 0, target.size(), 0, 1);
            Rng.seeded(3).fillNormal(w0.data(), 0, w0.size(), 0, 1);
            Var w = Var.param(w0);
            Optimizer opt = make.apply(List.of(new Parameter("w", w)));
            float first = 0, last = 0;
            for (int step = 0; step < 300; step++) {
                opt.zeroGrad();
                Var r = Sub.apply(MatMul.apply(Var.constant(x), w), Var.constant(target));
                Var loss = Sum.mean(Mul.apply(r, r));
                loss.backward();
                opt.step();
                if (step == 0) first = loss.data()[0];
                last = loss.data()[0];
            }
            // the least-squares optimum of this problem is far below the start
            assertTrue(last < 0.6f * first, opt.getClass().getSimpleName() + ": loss " + first + " -> " + last);
        }
    }

    @Test void schedules() {
        var multi = new Schedule.MultiStep(0.03, 0.1, 190, 160);
        assertEquals(0.03, multi.lr(0), 1e-12);
        assertEquals(0.003, multi.lr(160), 1e-12);
        assertEquals(0.0003, multi.lr(199.5), 1e-12);
        assertEquals(0.5, new Schedule.Step(1, 0.5, 10).lr(10), 1e-12);
        var cos = new Schedule.CosineWarmup(1.0, 0.0, 2, 12);
        assertEquals(0.5, cos.lr(1), 1e-12);
        assertEquals(1.0, cos.lr(2), 1e-12);
        assertEquals(0.5, cos.lr(7), 1e-12);
        assertEquals(0.0, cos.lr(12), 1e-12);
    }
}
