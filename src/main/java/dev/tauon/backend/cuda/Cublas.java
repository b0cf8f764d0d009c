package dev.tauon.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.tauon.backend.cuda.NativeLibrary.callInt;
import static dev.tauon.backend.cuda.NativeLibrary.returnsInt;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

// The few libcublas functions Tauon needs, each checked: a non-zero cublasStatus_t becomes a
// CudaException with the function's name and the status name (from the table below: the
// names are part of the cuBLAS API and have not changed since CUDA 10).
final class Cublas {
    static final int OP_N = 0, OP_T = 1;                                // cublasOperation_t
    static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;         // cublasMath_t

    final String file;
    private final MethodHandle create, destroy, setStream, setMathMode, getVersion, sgemm;

    Cublas(NativeLibrary lib) throws CudaUnavailable {
        file = lib.file();
        create = lib.function("cublasCreate_v2", returnsInt(ADDRESS));
        destroy = lib.function("cublasDestroy_v2", returnsInt(ADDRESS));
        setStream = lib.function("cublasSetStream_v2", returnsInt(ADDRESS, ADDRESS));
        setMathMode = lib.function("cublasSetMathMode", returnsInt(ADDRESS, JAVA_INT));
        getVersion = lib.function("cublasGetVersion_v2", returnsInt(ADDRESS, ADDRESS));
        sgemm = lib.function("cublasSgemm_v2", returnsInt(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    static String statusName(int status) {
        return switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "CUBLAS_STATUS_UNKNOWN";
        };
    }

    static void check(String function, int status) {
        if (status != 0) throw new CudaException(function, status, statusName(status), null);
    }

    // A new handle (costly: keep it), on the legacy default stream, in the given math mode.
    MemorySegment create(int mathMode) {
        MemorySegment handle;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ADDRESS);
            check("cublasCreate_v2", callInt(create, p));
            handle = p.get(ADDRESS, 0);
        }
        try {
            check("cublasSetStream_v2", callInt(setStream, handle, MemorySegment.NULL));
            check("cublasSetMathMode", callInt(setMathMode, handle, mathMode));
        } catch (CudaException e) {
            destroy(handle);
            throw e;
        }
        return handle;
    }

    void destroy(MemorySegment handle) { check("cublasDestroy_v2", callInt(destroy, handle)); }

    int version(MemorySegment handle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check("cublasGetVersion_v2", callInt(getVersion, handle, v));
            return v.get(JAVA_INT, 0);
        }
    }

    // Column-major C = alpha·op(A)·op(B) + beta·C; alpha and beta point to host floats.
    void sgemm(MemorySegment handle, int opA, int opB, int m, int n, int k,
               MemorySegment alpha, MemorySegment a, int lda, MemorySegment b, int ldb,
               MemorySegment beta, MemorySegment c, int ldc) {
        check("cublasSgemm_v2", callInt(sgemm, handle, opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));
    }

    // 120802 -> "12.8.2"
    static String version(int v) {
        return v / 10000 + "." + (v % 10000) / 100 + "." + v % 100;
    }
}
