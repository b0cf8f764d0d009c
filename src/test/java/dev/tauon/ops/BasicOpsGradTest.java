package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.tauon.ops.GradCheck.check;
import static dev.tauon.ops.GradCheck.param;
import static org.junit.jupiter.api.Assertions.*;

class BasicOpsGradTest {
    @Test void elementwise() {
        check("add", v -> Add.apply(v.get(0), v.get(1)), param(1, -1, 1, 3, 5), param(2, -1, 1, 3, 5));
        check("sub", v -> Sub.apply(v.get(0), v.get(1)), param(3, -1, 1, 4), param(4, -1, 1, 4));
        check("mul", v -> Mul.apply(v.get(0), v.get(1)), param(5, -1, 1, 2, 7), param(6, -1, 1, 2, 7));
        check("scale", v -> Scale.apply(v.get(0), -2.5f), param(7, -1, 1, 9));
        // relu away from its kink (|x| >= 0.1 so x ± h never crosses 0)
        Var x = param(8, 0.1f, 1f, 4, 6);
        float[] d = x.data();
        for (int i = 0; i < d.length; i += 2) d[i] = -d[i];
        check("relu", v -> Relu.apply(v.get(0)), x);
        check("reshape", v -> Reshape.apply(Mul.apply(v.get(0), v.get(0)), 6, 2), param(9, -1, 1, 3, 4));
        check("sum", v -> Sum.apply(v.get(0)), param(10, -1, 1, 5, 3));
        check("mean", v -> Sum.mean(v.get(0)), param(11, -1, 1, 5, 3));
    }

    @Test void matmulAndLinear() {
        check("matmul", v -> MatMul.apply(v.get(0), v.get(1)), param(20, -1, 1, 3, 5), param(21, -1, 1, 5, 4));
        check("linear", v -> Linear.apply(v.get(0), v.get(1), v.get(2)), param(22, -1, 1, 6, 5), param(23, -1, 1, 3, 5), param(24, -1, 1, 3));
        check("linear no bias", v -> Linear.apply(v.get(0), v.get(1), null), param(25, -1, 1, 2, 17), param(26, -1, 1, 33, 17));
    }

    @Test void normalizeSoftmaxCrossEntropy() {
        check("l2normalize", v -> L2Normalize.apply(v.get(0)), param(30, -1, 1, 4, 6));
        check("logsoftmax", v -> LogSoftmax.apply(v.get(0)), param(31, -2, 2, 3, 5));
        int[] labels = {2, 0, 4};
        check("cross_entropy", v -> CrossEntropy.apply(v.get(0), labels), param(32, -2, 2, 3, 5));
    }

    @Test void handComputedValues() {
        Var x = Var.param(Tensor.of(new float[] {3, 4, 0, -2}, 2, 2));
        assertArrayEquals(new float[] {0.6f, 0.8f, 0f, -1f}, L2Normalize.apply(x).data(), 1e-7f);
        // logits (0, ln 3) with label 1: p = 3/4, loss = −ln(3/4); gradient (1/4, −1/4)
        Var z = Var.param(Tensor.of(new float[] {0f, (float) Math.log(3)}, 1, 2));
        Var loss = CrossEntropy.apply(z, new int[] {1});
        assertEquals(-Math.log(0.75), loss.data()[0], 1e-6);
        loss.backward();
        assertArrayEquals(new float[] {0.25f, -0.25f}, z.grad().data(), 1e-6f);
        // linear: [1 2]·[[1 0],[0 1],[1 1]]ᵀ + (1, 2, 3) = (2, 4, 6)
        Var w = Var.param(Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2));
        Var b = Var.param(Tensor.of(new float[] {1, 2, 3}, 3));
        assertArrayEquals(new float[] {2, 4, 6}, Linear.apply(Var.constant(Tensor.of(new float[] {1, 2}, 1, 2)), w, b).data());
    }

    @Test void l2NormalizeOfAZeroRowIsLinear() {
        // y = x / eps for a row below eps, so dX = dY / eps with no projection term
        Var x = Var.param(Tensor.of(new float[] {0f, 0f, 3f, 4f}, 2, 2));
        Var y = L2Normalize.apply(x);
        Sum.apply(Mul.apply(y, Var.constant(Tensor.of(new float[] {1f, 2f, 0f, 0f}, 2, 2)))).backward();
        assertEquals(1f / L2Normalize.EPS, x.grad().data()[0], 1e-3f / L2Normalize.EPS);
        assertEquals(2f / L2Normalize.EPS, x.grad().data()[1], 1e-3f / L2Normalize.EPS);
    }

    @Test void shapeMistakesNameTheShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Add.apply(param(1, 0, 1, 2, 3), param(1, 0, 1, 3, 2)));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3, 2)"), e.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> MatMul.apply(param(1, 0, 1, 2, 3), param(1, 0, 1, 4, 2)));
        assertTrue(m.getMessage().contains("(2, 3)") && m.getMessage().contains("(4, 2)"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrossEntropy.apply(param(1, 0, 1, 2, 3), new int[] {0, 3}));
    }
}
