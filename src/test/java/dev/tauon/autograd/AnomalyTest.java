package dev.tauon.autograd;

import dev.tauon.ops.Add;
import dev.tauon.ops.Mul;
import dev.tauon.ops.Scale;
import dev.tauon.ops.Sum;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

// Anomaly detection names the first op whose output or input gradient is not finite, and
// changes nothing when every value is finite or when it is off.
class AnomalyTest {
    @AfterEach void off() { Anomaly.stop(); }

    static Var param(float... v) { return Var.param(Tensor.of(v, v.length)); }

    @Test void forwardNamesTheOpThatOverflowsFromFiniteInputs() {
        Anomaly.start();
        Var x = param(1f, 3e38f), y = param(1f, 2f);
        Var s = Scale.apply(x, 0.5f);                               // finite
        Anomaly.Detected d = assertThrows(Anomaly.Detected.class, () -> Mul.apply(Add.apply(s, s), y));
        assertTrue(d.getMessage().startsWith("forward of mul (2,)->(2,) gave Infinity at element 1"), d.getMessage());
        assertFalse(d.getMessage().contains("add"), "add gave 3e38, still finite: " + d.getMessage());
        assertTrue(d.getMessage().endsWith("from finite inputs"), d.getMessage());
    }

    @Test void forwardSaysWhenAnInputWasAlreadyNonFinite() {
        Anomaly.start();
        Var x = param(Float.NaN, 1f);
        Anomaly.Detected d = assertThrows(Anomaly.Detected.class, () -> Scale.apply(x, 2f));
        assertTrue(d.getMessage().contains("gave NaN at element 0, but its input 0 (param (2,)) was already non-finite"), d.getMessage());
    }

    // y = 3e38·x at x = 0 is finite, and so is the loss 2·sum(y); the gradient 6e38 is not.
    @Test void backwardNamesTheOpWhoseGradientOverflows() {
        Anomaly.start();
        Var x = param(0f, 0f, 0f);
        Var y = Scale.apply(x, 3e38f);
        Var loss = Sum.apply(Add.apply(y, y));
        assertEquals(0f, loss.data()[0]);
        Anomaly.Detected d = assertThrows(Anomaly.Detected.class, loss::backward);
        assertTrue(d.getMessage().startsWith("backward of scale (3,)->(3,) gave Infinity at element 0 of the gradient for its input 0 (param (3,))"), d.getMessage());
        assertTrue(d.getMessage().endsWith("from a finite upstream gradient"), d.getMessage());
    }

    @Test void offItLetsNonFiniteValuesThrough() {
        Var x = param(0f);
        Var loss = Sum.apply(Add.apply(Scale.apply(x, 3e38f), Scale.apply(x, 3e38f)));
        loss.backward();
        assertEquals(Float.POSITIVE_INFINITY, x.grad().data()[0]);
    }

    @Test void finiteValuesGiveTheSameBitsWithAndWithout() {
        float[][] grads = new float[2][];
        for (int on = 0; on < 2; on++) {
            if (on == 1) Anomaly.start();
            Var x = param(0.1f, -2f, 3.5f), w = param(1.5f, 0.25f, -1f);
            Sum.apply(Mul.apply(Add.apply(x, w), Scale.apply(w, 0.3f))).backward();
            grads[on] = x.grad().data().clone();
            Anomaly.stop();
        }
        assertArrayEquals(grads[0], grads[1]);
    }

    @Test void firstNonFinite() {
        assertEquals(-1, Anomaly.firstNonFinite(new float[] {0f, -1f, Float.MAX_VALUE}));
        assertEquals(1, Anomaly.firstNonFinite(new float[] {0f, Float.NEGATIVE_INFINITY, Float.NaN}));
        assertEquals(-1, Anomaly.firstNonFinite(new float[0]));
    }
}
