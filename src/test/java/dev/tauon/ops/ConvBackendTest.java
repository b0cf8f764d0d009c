package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.backend.ActiveBackend;
import dev.tauon.backend.Backend;
import dev.tauon.backend.CpuBackend;
import dev.tauon.kernel.Kernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

// conv2d's products go to the selected backend (a GPU backend takes them all; the CPU keeps its
// own thread-aware GEMM path), and a backend computing the same products gives the same bits.
class ConvBackendTest {
    @AfterEach void restore() { ActiveBackend.use(CpuBackend.INSTANCE); }

    static class Counting implements Backend {
        final AtomicInteger calls = new AtomicInteger();
        @Override public String name() { return "counting"; }
        @Override public boolean deterministic() { return true; }
        @Override public void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                                   float[] b, int bOff, int ldb, boolean transB, int m, int n, int k, float alpha, float beta) {
            calls.incrementAndGet();
            Kernels.gemm(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
        }
    }

    static float[][] run() {
        Var x = GradCheck.param(1, -1, 1, 5, 3, 9, 9), w = GradCheck.param(2, -1, 1, 4, 3, 3, 3);
        Var y = Conv2d.apply(x, w, 2, 1);
        Sum.apply(Mul.apply(y, y)).backward();
        return new float[][] {y.data().clone(), x.grad().data().clone(), w.grad().data().clone()};
    }

    @Test void productsGoThroughTheBackendWithTheSameBits() {
        float[][] cpu = run();
        Counting counting = new Counting();
        ActiveBackend.use(counting);
        float[][] routed = run();
        assertTrue(counting.calls.get() >= 3, "forward, backwardData and backwardWeight products: " + counting.calls.get());
        for (int i = 0; i < 3; i++) assertArrayEquals(cpu[i], routed[i], "output " + i);
    }

    // a backend that keeps products of the conv's size on the CPU (auto below its threshold):
    // at stride 1 the CPU's direct paths run and no product reaches it; at stride 2 (im2col)
    // the products go through it. Either way the bits are the CPU's.
    @Test void aBackendKeepingTheProductsOnTheCpuGetsTheCpuPaths() {
        for (int stride : new int[] {1, 2}) {
            Counting keeps = new Counting() {
                @Override public boolean onCpu(int m, int n, int k) { return true; }
            };
            float[][] cpu = runStride(stride);
            ActiveBackend.use(keeps);
            float[][] routed = runStride(stride);
            ActiveBackend.use(CpuBackend.INSTANCE);
            for (int i = 0; i < 3; i++) assertArrayEquals(cpu[i], routed[i], "stride " + stride + " output " + i);
            if (stride == 1) assertEquals(0, keeps.calls.get(), "stride 1");
            else assertTrue(keeps.calls.get() >= 3, "stride 2: " + keeps.calls.get());
        }
    }

    static float[][] runStride(int stride) {
        Var x = GradCheck.param(1, -1, 1, 5, 9, 8, 20), w = GradCheck.param(2, -1, 1, 12, 9, 3, 3);
        Var y = Conv2d.apply(x, w, stride, 1);
        Sum.apply(Mul.apply(y, y)).backward();
        return new float[][] {y.data().clone(), x.grad().data().clone(), w.grad().data().clone()};
    }
}
