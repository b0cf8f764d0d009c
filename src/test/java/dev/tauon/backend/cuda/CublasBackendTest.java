package dev.tauon.backend.cuda;

import dev.tauon.kernel.Kernels;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

// The cuBLAS binding and the row-major -> column-major mapping, run against the CPU fake of
// libcudart/libcublas (src/test/c/fakecuda.c) and compared with the CPU GEMM.
class CublasBackendTest {
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 7}, {17, 4, 9}, {8, 8, 8}, {2, 31, 1}};
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, -2f}, {-1.5f, 1f}};

    // Row-major operands at offsets, with padded or tight row strides; C's padding must survive.
    private static void compare(CublasBackend gpu, int m, int n, int k, boolean tA, boolean tB,
                                int pad, float alpha, float beta, long seed) {
        int aRows = tA ? k : m, aCols = tA ? m : k, bRows = tB ? n : k, bCols = tB ? k : n;
        int lda = aCols + pad, ldb = bCols + 2 * pad, ldc = n + pad;
        int aOff = 3, bOff = 1, cOff = 5;
        Rng rng = Rng.seeded(seed);
        float[] a = new float[aOff + aRows * lda], b = new float[bOff + bRows * ldb], c = new float[cOff + m * ldc];
        rng.split(1).fillUniform(a, 0, a.length, -1, 1);
        rng.split(2).fillUniform(b, 0, b.length, -1, 1);
        rng.split(3).fillUniform(c, 0, c.length, -1, 1);
        float[] want = c.clone(), got = c.clone();
        Kernels.gemm(want, cOff, ldc, a, aOff, lda, tA, b, bOff, ldb, tB, m, n, k, alpha, beta);
        gpu.gemm(got, cOff, ldc, a, aOff, lda, tA, b, bOff, ldb, tB, m, n, k, alpha, beta);
        String what = String.format("m=%d n=%d k=%d tA=%b tB=%b pad=%d alpha=%s beta=%s", m, n, k, tA, tB, pad, alpha, beta);
        for (int i = 0; i < c.length; i++) {
            int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
            boolean inC = i >= cOff && row < m && col < n;
            if (!inC) {
                assertEquals(c[i], got[i], what + ": element " + i + " outside C was written");
            } else if (Math.abs(got[i] - want[i]) > 1e-5f * (1 + Math.abs(want[i]))) {
                fail(what + ": C[" + row + "," + col + "] = " + got[i] + ", CPU " + want[i]);
            }
        }
    }

    @Test void everyTransposeShapeStrideAndScaleMatchesTheCpu() {
        try (CublasBackend gpu = new CublasBackend(FakeCuda.available(), false)) {
            long seed = 0;
            for (int[] s : SHAPES) {
                for (int t = 0; t < 4; t++) {
                    for (int pad : new int[] {0, 3}) {
                        for (float[] ab : ALPHA_BETA) compare(gpu, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, pad, ab[0], ab[1], seed++);
                    }
                }
            }
        }
    }

    @Test void betaZeroDoesNotReadC() {
        try (CublasBackend gpu = new CublasBackend(FakeCuda.available(), false)) {
            int m = 4, n = 3, k = 5;
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n], want = new float[m * n];
            Rng.seeded(7).fillUniform(a, 0, a.length, -1, 1);
            Rng.seeded(8).fillUniform(b, 0, b.length, -1, 1);
            java.util.Arrays.fill(c, Float.NaN);
            gpu.gemm(c, 0, n, a, 0, k, false, b, 0, n, false, m, n, k, 2f, 0f);
            Kernels.gemm(want, 0, n, a, 0, k, false, b, 0, n, false, m, n, k, 2f, 0f);
            for (int i = 0; i < c.length; i++) assertEquals(want[i], c[i], 1e-5f, "element " + i);
        }
    }

    @Test void emptyProductsScaleCOnly() {
        try (CublasBackend gpu = new CublasBackend(FakeCuda.available(), false)) {
            float[] c = {1, 2, 3, 4};
            gpu.gemm(c, 0, 2, new float[0], 0, 1, false, new float[0], 0, 2, false, 2, 2, 0, 1f, 0.5f);
            assertEquals(java.util.List.of(0.5f, 1f, 1.5f, 2f), java.util.List.of(c[0], c[1], c[2], c[3]));
        }
    }

    @Test void buffersAreReusedAcrossCallsAndReleasedOnClose() {
        long live0 = FakeCuda.liveCount(), handles0 = FakeCuda.handleCount();
        CublasBackend gpu = new CublasBackend(FakeCuda.available(), false);
        compare(gpu, 8, 8, 8, false, false, 0, 1f, 0f, 1);
        long mallocs = FakeCuda.mallocCount();
        for (int i = 0; i < 5; i++) compare(gpu, 6, 7, 5, i % 2 == 0, false, 1, 1f, 1f, i);
        assertEquals(mallocs, FakeCuda.mallocCount(), "smaller products must reuse the device buffers");
        assertEquals(handles0 + 1, FakeCuda.handleCount(), "one cuBLAS handle per thread");
        gpu.close();
        assertEquals(live0, FakeCuda.liveCount(), "close frees device and pinned memory");
        assertEquals(handles0, FakeCuda.handleCount(), "close destroys the handle");
        assertThrows(IllegalStateException.class, () -> compare(gpu, 2, 2, 2, false, false, 0, 1f, 0f, 1));
    }

    @Test void eachThreadGetsItsOwnHandle() throws InterruptedException {
        long handles0 = FakeCuda.handleCount();
        try (CublasBackend gpu = new CublasBackend(FakeCuda.available(), false)) {
            compare(gpu, 5, 6, 7, false, true, 2, 1f, 0f, 11);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    compare(gpu, 7, 6, 5, true, false, 1, 1f, 0f, 12);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            other.start();
            other.join();
            assertNull(failure.get());
            assertEquals(handles0 + 2, FakeCuda.handleCount());
        }
        assertEquals(handles0, FakeCuda.handleCount());
    }

    @Test void failedMallocNamesCudaMallocAndTheError() {
        try (CublasBackend gpu = new CublasBackend(FakeCuda.available(), false)) {
            FakeCuda.failNextMalloc();
            CudaException e = assertThrows(CudaException.class, () -> compare(gpu, 4, 4, 4, false, false, 0, 1f, 0f, 3));
            assertEquals("cudaMalloc", e.function());
            assertEquals("cudaErrorMemoryAllocation", e.status());
            assertTrue(e.getMessage().contains("cudaMalloc") && e.getMessage().contains("cudaErrorMemoryAllocation")
                    && e.getMessage().contains("out of memory"), e.getMessage());
            compare(gpu, 4, 4, 4, false, false, 0, 1f, 0f, 3);   // recovers: the buffer is allocated again
        }
    }

    @Test void badCublasStatusNamesSgemmAndTheStatus() {
        try (CublasBackend gpu = new CublasBackend(FakeCuda.available(), false)) {
            FakeCuda.sgemmStatusNext(13);
            CudaException e = assertThrows(CudaException.class, () -> compare(gpu, 4, 4, 4, true, true, 0, 1f, 0f, 4));
            assertEquals("cublasSgemm_v2", e.function());
            assertEquals("CUBLAS_STATUS_EXECUTION_FAILED", e.status());
            assertTrue(e.getMessage().contains("cublasSgemm_v2") && e.getMessage().contains("CUBLAS_STATUS_EXECUTION_FAILED"), e.getMessage());
        }
    }

    @Test void mathModeIsDefaultUnlessTf32IsAsked() {
        try (CublasBackend gpu = new CublasBackend(FakeCuda.available(), false)) {
            compare(gpu, 2, 2, 2, false, false, 0, 1f, 0f, 5);
            assertEquals(Cublas.DEFAULT_MATH, FakeCuda.lastMathMode());
            assertFalse(gpu.tf32());
            assertFalse(gpu.deterministic());
        }
        try (CublasBackend gpu = new CublasBackend(FakeCuda.available(), true)) {
            compare(gpu, 2, 2, 2, false, false, 0, 1f, 0f, 5);
            assertEquals(Cublas.TF32_TENSOR_OP_MATH, FakeCuda.lastMathMode());
        }
    }
}
