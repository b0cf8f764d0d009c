package dev.tauon.ops;

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

// Central-difference gradient check in float: the analytic gradient of
// L = Σ f(inputs) ⊙ R (R fixed random weights, so every output element matters) against
// (L(x + h) − L(x − h)) / 2h for every input element. Tolerance: |a − n| ≤ atol + rtol·max(|a|, |n|).
// Every evaluation runs as a step of one recycling Workspace, as training does: an op that
// releases a buffer still in use corrupts its gradient and fails here.
public final class GradCheck {
    private GradCheck() {}

    public static Var param(long seed, float lo, float hi, int... dims) {
        Tensor t = Tensor.zeros(dims);
        Rng.seeded(seed).fillUniform(t.data(), 0, t.size(), lo, hi);
        return Var.param(t);
    }

    public static void check(String what, Function<List<Var>, Var> f, List<Var> inputs, float h, float atol, float rtol) {
        Workspace ws = new Workspace();
        float[] r;
        List<float[]> analytics = new ArrayList<>();
        try (var step = Workspace.step(ws)) {
            Var out = f.apply(inputs);
            r = new float[out.size()];
            Rng.seeded(99).fillUniform(r, 0, r.length, -1, 1);
            Var weights = Var.constant(Tensor.of(r, out.shape().dims()));
            for (Var in : inputs) in.clearGrad();
            Sum.apply(Mul.apply(out, weights)).backward();
            // copied now: the next step may hand the gradient buffers to other requests
            for (Var in : inputs) analytics.add(in.grad() == null ? new float[in.size()] : in.grad().data().clone());
        }
        for (int v = 0; v < inputs.size(); v++) {
            Var in = inputs.get(v);
            if (!in.requiresGrad()) continue;
            float[] x = in.data();
            float[] analytic = analytics.get(v);
            for (int i = 0; i < x.length; i++) {
                float saved = x[i];
                x[i] = saved + h;
                double plus = weighted(f, inputs, r, ws);
                x[i] = saved - h;
                double minus = weighted(f, inputs, r, ws);
                x[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                double a = analytic[i];
                double tol = atol + rtol * Math.max(Math.abs(a), Math.abs(numeric));
                if (!(Math.abs(a - numeric) <= tol)) {
                    fail(what + ": d/d input" + v + "[" + i + "] analytic " + a + " vs numeric " + numeric);
                }
            }
        }
    }

    public static void check(String what, Function<List<Var>, Var> f, Var... inputs) {
        check(what, f, List.of(inputs), 1e-2f, 2e-3f, 2e-2f);
    }

    private static double weighted(Function<List<Var>, Var> f, List<Var> inputs, float[] r, Workspace ws) {
        try (var step = Workspace.step(ws); var off = Grad.off()) {
            float[] y = f.apply(inputs).data();
            double s = 0;
            for (int i = 0; i < y.length; i++) s += (double) y[i] * r[i];
            return s;
        }
    }
}
