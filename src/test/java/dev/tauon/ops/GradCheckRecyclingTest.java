package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.*;

// GradCheck runs under a recycling Workspace, so it catches an op that hands back a buffer its
// backward still reads: the next request of that size overwrites it. The same op without the
// early release passes.
class GradCheckRecyclingTest {
    // y = x ⊙ x, saving a copy of x for backward (dX += 2·x·dY); releaseEarly is the bug
    static Var square(Var x, boolean releaseEarly) {
        int n = x.size();
        float[] saved = Workspace.floats(n), y = Workspace.floats(n);
        for (int i = 0; i < n; i++) {
            saved[i] = x.data()[i];
            y[i] = saved[i] * saved[i];
        }
        if (releaseEarly) Workspace.release(saved);
        return Var.result("square", new Tensor(x.shape(), y), Var.Saves.NOTHING, out -> {
            float[] dy = out.gradData(), dx = x.gradData();
            for (int i = 0; i < n; i++) dx[i] += 2 * saved[i] * dy[i];
        }, x);
    }

    @Test void catchesABufferReleasedWhileBackwardStillNeedsIt() {
        GradCheck.check("square", v -> square(v.get(0), false), GradCheck.param(1, -1, 1, 3, 4));
        assertThrows(AssertionFailedError.class,
                () -> GradCheck.check("square, released early", v -> square(v.get(0), true), GradCheck.param(1, -1, 1, 3, 4)));
    }
}
