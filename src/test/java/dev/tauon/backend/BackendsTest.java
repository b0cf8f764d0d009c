package dev.tauon.backend;

import dev.tauon.backend.cuda.CublasBackend;
import dev.tauon.backend.cuda.Cuda;
import dev.tauon.backend.cuda.FakeCuda;
import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// Choosing cpu, cuda or auto, with and without a (fake) GPU, and auto's routing by size.
class BackendsTest {
    @Test void cpuIsTheReproducibleKernel() {
        try (Backends.Selection s = Backends.select(Backends.Choice.CPU)) {
            assertSame(CpuBackend.INSTANCE, s.backend());
            assertTrue(s.backend().deterministic());
        }
    }

    @Test void withoutLibrariesAutoRunsOnTheCpuAndSaysWhy(@TempDir Path empty) {
        Cuda.Status none = Cuda.probe(Optional.of(empty));
        Backends.Selection s = Backends.select(Backends.Choice.AUTO, none);
        assertSame(CpuBackend.INSTANCE, s.backend());
        assertTrue(s.description().startsWith("auto: cpu (no GPU: CUDA libraries not found in " + empty), s.description());
    }

    @Test void withoutLibrariesCudaIsAnErrorWithTheReason(@TempDir Path empty) {
        Cuda.Status none = Cuda.probe(Optional.of(empty));
        Backends.NoGpu e = assertThrows(Backends.NoGpu.class, () -> Backends.select(Backends.Choice.CUDA, none));
        assertTrue(e.getMessage().startsWith("no usable GPU: CUDA libraries not found in " + empty), e.getMessage());
    }

    @Test void withTheFakeGpuCudaAndAutoUseIt() {
        Cuda.Available gpu = FakeCuda.available();
        try (Backends.Selection s = Backends.select(Backends.Choice.CUDA, gpu)) {
            assertInstanceOf(CublasBackend.class, s.backend());
            assertTrue(s.description().startsWith("cuda: Fake CUDA Device (CPU)"), s.description());
            assertTrue(s.description().endsWith(Backends.NOT_BIT_IDENTICAL), s.description());
        }
        try (Backends.Selection s = Backends.select(Backends.Choice.AUTO, gpu)) {
            assertEquals("auto", s.backend().name());
            assertTrue(s.description().startsWith("auto: cuda when m·n·k >= " + Backends.AUTO_GPU_MIN_MNK + ", cpu below"), s.description());
        }
    }

    @Test void autoSendsOnlyLargeProductsToTheGpu() {
        int[] calls = {0};
        Backend gpu = new Backend() {
            @Override public String name() { return "recording"; }
            @Override public boolean deterministic() { return false; }
            @Override public void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                                       float[] b, int bOff, int ldb, boolean transB, int m, int n, int k, float alpha, float beta) {
                calls[0]++;
            }
        };
        Backend auto = new Backends.Auto(gpu, 4 * 4 * 4);
        float[] a = new float[16], b = new float[16], c = new float[16], want = new float[16];
        Rng.seeded(1).fillUniform(a, 0, 16, -1, 1);
        Rng.seeded(2).fillUniform(b, 0, 16, -1, 1);
        auto.gemm(c, 0, 4, a, 0, 4, false, b, 0, 4, false, 4, 4, 3, 1f, 0f);   // 48 < 64: CPU
        Kernels.gemm(want, 0, 4, a, 0, 4, false, b, 0, 4, false, 4, 4, 3, 1f, 0f);
        assertArrayEquals(want, c);
        assertEquals(0, calls[0]);
        auto.gemm(c, 0, 4, a, 0, 4, false, b, 0, 4, false, 4, 4, 4, 1f, 0f);   // 64: GPU
        assertEquals(1, calls[0]);
    }
}
