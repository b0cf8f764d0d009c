package dev.tauon.backend.cuda;

import dev.tauon.backend.Backend;
import dev.tauon.backend.CpuBackend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

// Row-major GEMM on the GPU through column-major cuBLAS: row-major C (m,n) is column-major Cᵀ,
// so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ, operands swapped and m, n swapped.
// Each thread gets its own cuBLAS handle and device buffers, created once and grown as needed;
// copies are staged through page-locked host memory. Not bit-identical to the CPU backend.
public final class CublasBackend implements Backend {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final long ROUND = 1 << 20;   // buffers grow in whole MiB

    private final Cuda.Libraries libs;
    private final int mathMode;
    private final Contexts contexts = new Contexts();
    private final ThreadLocal<Context> local;
    private final Cleaner.Cleanable cleanable;

    // tf32: let cuBLAS round inputs to TF32 on tensor cores (faster, about 3 decimal digits).
    public CublasBackend(Cuda.Available gpu, boolean tf32) {
        this.libs = gpu.libraries();
        this.mathMode = tf32 ? Cublas.TF32_TENSOR_OP_MATH : Cublas.DEFAULT_MATH;
        this.local = ThreadLocal.withInitial(() -> contexts.add(new Context(libs, mathMode)));
        this.cleanable = CLEANER.register(this, contexts);
    }

    @Override public String name() { return "cuda"; }

    @Override public boolean deterministic() { return false; }

    public boolean tf32() { return mathMode == Cublas.TF32_TENSOR_OP_MATH; }

    @Override public void gemm(float[] c, int cOff, int ldc,
                               float[] a, int aOff, int lda, boolean transA,
                               float[] b, int bOff, int ldb, boolean transB,
                               int m, int n, int k, float alpha, float beta) {
        if (contexts.closed) throw new IllegalStateException("the cuda backend is closed");
        if (m <= 0 || n <= 0 || k <= 0) {   // nothing to multiply: C = beta·C at most, not worth a copy
            CpuBackend.INSTANCE.gemm(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
            return;
        }
        local.get().gemm(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, alpha, beta);
    }

    // Frees every thread's buffers and handle. Call when no thread is using the backend.
    @Override public void close() { cleanable.clean(); }

    // Every context made by this backend; also the Cleaner's action if close() is never called.
    private static final class Contexts implements Runnable {
        private final List<Context> all = new ArrayList<>();
        volatile boolean closed;

        synchronized Context add(Context c) {
            if (closed) {
                c.close();
                throw new IllegalStateException("the cuda backend is closed");
            }
            all.add(c);
            return c;
        }

        @Override public synchronized void run() {
            closed = true;
            RuntimeException first = null;
            for (Context c : all) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    if (first == null) first = e;
                }
            }
            all.clear();
            if (first != null) throw first;
        }
    }

    // One thread's handle, device buffers for A, B and C, a pinned staging area and alpha, beta.
    private static final class Context {
        final CudaRuntime rt;
        final Cublas blas;
        final MemorySegment handle;
        final Arena scalarArena = Arena.ofShared();
        final MemorySegment alpha, beta;
        final Buffer dA, dB, dC, stage;

        Context(Cuda.Libraries libs, int mathMode) {
            rt = libs.rt;
            blas = libs.blas;
            handle = blas.create(mathMode);
            MemorySegment scalars = scalarArena.allocate(JAVA_FLOAT, 2);
            alpha = scalars.asSlice(0, 4);
            beta = scalars.asSlice(4, 4);
            dA = new Buffer(rt, false);
            dB = new Buffer(rt, false);
            dC = new Buffer(rt, false);
            stage = new Buffer(rt, true);
        }

        void gemm(float[] c, int cOff, int ldc,
                  float[] a, int aOff, int lda, boolean transA,
                  float[] b, int bOff, int ldb, boolean transB,
                  int m, int n, int k, float alphaValue, float betaValue) {
            // A and B as stored (row-major): rows × cols, packed on the device with ld = cols
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            long aBytes = 4L * aRows * aCols, bBytes = 4L * bRows * bCols, cBytes = 4L * m * n;
            stage.ensure(Math.max(cBytes, Math.max(aBytes, bBytes)));
            dA.ensure(aBytes);
            dB.ensure(bBytes);
            dC.ensure(cBytes);
            upload(a, aOff, lda, aRows, aCols, dA);
            upload(b, bOff, ldb, bRows, bCols, dB);
            if (betaValue != 0f) upload(c, cOff, ldc, m, n, dC);   // cuBLAS does not read C when beta == 0
            alpha.set(JAVA_FLOAT, 0, alphaValue);
            beta.set(JAVA_FLOAT, 0, betaValue);
            // Column-major, the packed B is op(B)ᵀ when !transB (no transpose needed) and op(B) when
            // transB (transpose it); the same for A. Result: Cᵀ (n,m), ld = n, i.e. row-major C.
            blas.sgemm(handle, transB ? Cublas.OP_T : Cublas.OP_N, transA ? Cublas.OP_T : Cublas.OP_N, n, m, k,
                    alpha, dB.ptr, bCols, dA.ptr, aCols, beta, dC.ptr, n);
            rt.copyToHost(stage.ptr, dC.ptr, cBytes);   // waits for the sgemm (same stream)
            if (ldc == n) {
                MemorySegment.copy(stage.ptr, JAVA_FLOAT, 0, c, cOff, m * n);
            } else {
                for (int i = 0; i < m; i++) MemorySegment.copy(stage.ptr, JAVA_FLOAT, 4L * i * n, c, cOff + i * ldc, n);
            }
        }

        // x (rows, cols) with row stride ld -> packed on the device
        private void upload(float[] x, int off, int ld, int rows, int cols, Buffer device) {
            if (ld == cols) {
                MemorySegment.copy(x, off, stage.ptr, JAVA_FLOAT, 0, rows * cols);
            } else {
                for (int r = 0; r < rows; r++) MemorySegment.copy(x, off + r * ld, stage.ptr, JAVA_FLOAT, 4L * r * cols, cols);
            }
            rt.copyToDevice(device.ptr, stage.ptr, 4L * rows * cols);
        }

        void close() {
            RuntimeException first = null;
            for (Runnable step : new Runnable[] {rt::synchronize, dA::free, dB::free, dC::free, stage::free,
                    () -> blas.destroy(handle), scalarArena::close}) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    if (first == null) first = e;
                }
            }
            if (first != null) throw first;
        }
    }

    // Device or pinned host memory that only grows; freed on close.
    private static final class Buffer {
        final CudaRuntime rt;
        final boolean pinnedHost;
        MemorySegment ptr = MemorySegment.NULL;
        long capacity;

        Buffer(CudaRuntime rt, boolean pinnedHost) {
            this.rt = rt;
            this.pinnedHost = pinnedHost;
        }

        void ensure(long bytes) {
            if (bytes <= capacity) return;
            free();   // before allocating, so that the old and new never need to fit together
            long size = (bytes + ROUND - 1) / ROUND * ROUND;
            ptr = pinnedHost ? rt.mallocHost(size) : rt.malloc(size);
            capacity = size;
        }

        void free() {
            MemorySegment p = ptr;
            ptr = MemorySegment.NULL;
            capacity = 0;
            if (p.address() == 0) return;
            if (pinnedHost) rt.freeHost(p); else rt.free(p);
        }
    }
}
