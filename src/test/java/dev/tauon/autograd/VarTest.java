package dev.tauon.autograd;

import dev.tauon.ops.Add;
import dev.tauon.ops.Mul;
import dev.tauon.ops.Scale;
import dev.tauon.ops.Sum;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class VarTest {
    static Var scalar(float v) { return Var.param(Tensor.of(new float[] {v})); }

    @Test void fanOutAccumulates() {
        // y = x·x + x  ->  dy/dx = 2x + 1
        Var x = scalar(3f);
        Var y = Add.apply(Mul.apply(x, x), x);
        y.backward();
        assertEquals(7f, x.grad().data()[0]);
        // a second backward accumulates
        Add.apply(Mul.apply(x, x), x).backward();
        assertEquals(14f, x.grad().data()[0]);
        x.zeroGrad();
        assertEquals(0f, x.grad().data()[0]);
    }

    // gradData(false) lends an intermediate gradient unzeroed when nothing has arrived yet (the
    // caller assigns all of it); once a gradient is held, gradData(false) is that same buffer
    @Test void unzeroedGradientOnlyForTheFirstContribution() {
        Workspace ws = new Workspace();
        try (var step = Workspace.step(ws)) {
            Var x = Var.param(Tensor.of(new float[] {1, 2, 3, 4}, 4));
            Var y = Scale.apply(x, 2f);
            float[] dirty = Workspace.floats(4);
            java.util.Arrays.fill(dirty, 7f);
            Workspace.release(dirty);                                 // the next request of 4 floats gets it back
            assertFalse(y.hasGrad());
            float[] g = y.gradData(false);
            assertSame(dirty, g);
            assertEquals(7f, g[0], "not zeroed: the caller must assign");
            assertTrue(y.hasGrad());
            assertSame(g, y.gradData(false), "a held gradient is returned as is");
            Var z = Scale.apply(x, 3f);
            assertArrayEquals(new float[4], z.gradData(true), "gradData() still zeroes");
        }
        Var leaf = scalar(1f);
        assertFalse(leaf.hasGrad());
        assertEquals(0f, leaf.gradData(false)[0], "a leaf owns a fresh (zero) array");
    }

    @Test void diamondGraphVisitsEachNodeOnce() {
        // a = x·2 (via x + x), b = a·a, c = a + b -> dc/dx = (1 + 2a)·2
        Var x = scalar(1.5f);
        Var a = Add.apply(x, x);
        Var c = Add.apply(a, Mul.apply(a, a));
        c.backward();
        assertEquals((1 + 2 * 3f) * 2, x.grad().data()[0]);
    }

    @Test void noGradAndDetach() {
        Var x = scalar(2f);
        try (var off = Grad.off()) {
            Var y = Mul.apply(x, x);
            assertFalse(y.requiresGrad());
            assertThrows(IllegalStateException.class, y::backward);
        }
        Var y = Mul.apply(x.detach(), x);
        y.backward();
        assertEquals(2f, x.grad().data()[0]);   // only the non-detached side contributes
        Var constant = Var.constant(Tensor.of(new float[] {1f}));
        assertFalse(Add.apply(constant, constant).requiresGrad());
    }

    @Test void backwardNeedsAScalar() {
        Var x = Var.param(Tensor.zeros(2, 2));
        assertThrows(IllegalStateException.class, () -> Mul.apply(x, x).backward());
    }

    @Test void deepChainsDoNotOverflowTheStack() {
        Var x = scalar(1f), y = x;
        for (int i = 0; i < 50_000; i++) y = Add.apply(y, x);
        Sum.apply(y).backward();
        assertEquals(50_001f, x.grad().data()[0]);
    }

    @Test void workspaceReusesBuffersInStepOrder() {
        Workspace ws = new Workspace();
        float[] first;
        try (var s = Workspace.step(ws)) {
            first = Workspace.floats(10);
            Workspace.zeros(5)[0] = 3f;
        }
        long bytes = ws.allocatedBytes();
        try (var s = Workspace.step(ws)) {
            assertSame(first, Workspace.floats(10));
            assertEquals(0f, Workspace.zeros(5)[0], "zeros() must re-zero a reused buffer");
        }
        assertEquals(bytes, ws.allocatedBytes());
        assertNotSame(first, Workspace.floats(10), "outside a step buffers are fresh");
    }

    @Test void releasedBuffersAreReusedWithinAStepAndStepsReplay() {
        Workspace ws = new Workspace();
        float[][] got = new float[2][];
        for (int step = 0; step < 2; step++) {
            try (var s = Workspace.step(ws)) {
                float[] a = Workspace.floats(8), b = Workspace.floats(8);
                assertNotSame(a, b);
                Workspace.release(a);
                float[] c = Workspace.zeros(8);
                assertSame(a, c, "a released buffer serves the next request of its size");
                assertThrows(IllegalStateException.class, () -> { Workspace.release(b); Workspace.release(b); });
                Workspace.release(new float[8]);                    // not lent by the workspace: ignored
                assertSame(b, Workspace.floats(8));
                got[step] = c;
            }
        }
        assertSame(got[0], got[1], "the same requests and releases get the same buffers");
        long bytes = ws.allocatedBytes();
        try (var s = Workspace.step(ws)) { Workspace.floats(8); }
        assertEquals(bytes, ws.allocatedBytes());
    }

    @Test void backwardInsideAStepFreesIntermediateGradientsButNotLeaves() {
        Workspace ws = new Workspace();
        try (var s = Workspace.step(ws)) {
            Var x = Var.param(Tensor.of(new float[] {1, -2, 3}, 3));
            Var h = Scale.apply(x, 2f), y = Sum.apply(h);
            y.backward();
            assertNull(h.grad(), "an intermediate gradient goes back to the workspace");
            assertArrayEquals(new float[] {2, 2, 2}, x.grad().data());
        }
        Var x = Var.param(Tensor.of(new float[] {1}, 1));
        Var h = Scale.apply(x, 2f);
        Sum.apply(h).backward();
        assertNotNull(h.grad(), "outside a step nothing is recycled");
    }

    @Test void gradModeAndWorkspaceArePerThread() throws Exception {
        Workspace ws = new Workspace();
        try (var off = Grad.off(); var step = Workspace.step(ws)) {
            float[] mine = Workspace.floats(7);
            boolean[] other = new boolean[2];
            Thread t = new Thread(() -> {
                other[0] = Grad.enabled();
                other[1] = Workspace.floats(7) != mine && Workspace.active() == null;
            });
            t.start();
            t.join();
            assertTrue(other[0], "another thread keeps grad mode on");
            assertTrue(other[1], "another thread does not draw from this thread's step");
            assertFalse(Grad.enabled());
        }
        assertTrue(Grad.enabled());
    }
}
