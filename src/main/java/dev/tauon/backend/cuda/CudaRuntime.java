package dev.tauon.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.tauon.backend.cuda.NativeLibrary.callInt;
import static dev.tauon.backend.cuda.NativeLibrary.callString;
import static dev.tauon.backend.cuda.NativeLibrary.returnsInt;
import static dev.tauon.backend.cuda.NativeLibrary.returnsPointer;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

// The few libcudart functions Tauon needs, each checked: a non-zero cudaError_t becomes a
// CudaException with the function's name and cudaGetErrorName/String. Device 0 is used
// (CUDA_VISIBLE_DEVICES chooses which physical GPU that is).
final class CudaRuntime {
    static final int HOST_TO_DEVICE = 1, DEVICE_TO_HOST = 2;            // cudaMemcpyKind
    static final int ATTR_CC_MAJOR = 75, ATTR_CC_MINOR = 76;            // cudaDeviceAttr
    private static final long PROP_BYTES = 8192;  // > sizeof(cudaDeviceProp) in CUDA 12 and 13; name[256] is first

    final String file;
    private final MethodHandle getDeviceCount, getDeviceProperties, deviceGetAttribute, memGetInfo,
            runtimeGetVersion, driverGetVersion, malloc, free, mallocHost, freeHost, memcpy,
            deviceSynchronize, getErrorName, getErrorString;
    private final String getDevicePropertiesName;

    CudaRuntime(NativeLibrary lib) throws CudaUnavailable {
        file = lib.file();
        getErrorName = lib.function("cudaGetErrorName", returnsPointer(JAVA_INT));
        getErrorString = lib.function("cudaGetErrorString", returnsPointer(JAVA_INT));
        getDeviceCount = lib.function("cudaGetDeviceCount", returnsInt(ADDRESS));
        // CUDA 12 headers map cudaGetDeviceProperties to the _v2 symbol; older runtimes have only the plain one.
        var v2 = lib.optional("cudaGetDeviceProperties_v2", returnsInt(ADDRESS, JAVA_INT));
        getDevicePropertiesName = v2.isPresent() ? "cudaGetDeviceProperties_v2" : "cudaGetDeviceProperties";
        getDeviceProperties = v2.isPresent() ? v2.get() : lib.function("cudaGetDeviceProperties", returnsInt(ADDRESS, JAVA_INT));
        deviceGetAttribute = lib.function("cudaDeviceGetAttribute", returnsInt(ADDRESS, JAVA_INT, JAVA_INT));
        memGetInfo = lib.function("cudaMemGetInfo", returnsInt(ADDRESS, ADDRESS));
        runtimeGetVersion = lib.function("cudaRuntimeGetVersion", returnsInt(ADDRESS));
        driverGetVersion = lib.function("cudaDriverGetVersion", returnsInt(ADDRESS));
        malloc = lib.function("cudaMalloc", returnsInt(ADDRESS, JAVA_LONG));
        free = lib.function("cudaFree", returnsInt(ADDRESS));
        mallocHost = lib.function("cudaMallocHost", returnsInt(ADDRESS, JAVA_LONG));
        freeHost = lib.function("cudaFreeHost", returnsInt(ADDRESS));
        memcpy = lib.function("cudaMemcpy", returnsInt(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        deviceSynchronize = lib.function("cudaDeviceSynchronize", returnsInt());
    }

    void check(String function, int code) {
        if (code != 0) throw new CudaException(function, code, callString(getErrorName, code), callString(getErrorString, code));
    }

    int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            check("cudaGetDeviceCount", callInt(getDeviceCount, n));
            return n.get(JAVA_INT, 0);
        }
    }

    String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment prop = arena.allocate(PROP_BYTES, 16);
            check(getDevicePropertiesName, callInt(getDeviceProperties, prop, device));
            return prop.getString(0);
        }
    }

    int attribute(int attr, int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check("cudaDeviceGetAttribute", callInt(deviceGetAttribute, v, attr, device));
            return v.get(JAVA_INT, 0);
        }
    }

    // {free, total} bytes on the current device
    long[] memInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment freeBytes = arena.allocate(JAVA_LONG), total = arena.allocate(JAVA_LONG);
            check("cudaMemGetInfo", callInt(memGetInfo, freeBytes, total));
            return new long[] {freeBytes.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        }
    }

    int runtimeVersion() { return intOut("cudaRuntimeGetVersion", runtimeGetVersion); }

    int driverVersion() { return intOut("cudaDriverGetVersion", driverGetVersion); }

    // device memory; the result is an address only (zero length)
    MemorySegment malloc(long bytes) { return pointerOut("cudaMalloc", malloc, bytes); }

    void free(MemorySegment devicePtr) { check("cudaFree", callInt(free, devicePtr)); }

    // page-locked host memory, readable and writable from Java
    @SuppressWarnings("restricted")
    MemorySegment mallocHost(long bytes) { return pointerOut("cudaMallocHost", mallocHost, bytes).reinterpret(bytes); }

    void freeHost(MemorySegment hostPtr) { check("cudaFreeHost", callInt(freeHost, hostPtr)); }

    void copyToDevice(MemorySegment device, MemorySegment host, long bytes) {
        check("cudaMemcpy", callInt(memcpy, device, host, bytes, HOST_TO_DEVICE));
    }

    void copyToHost(MemorySegment host, MemorySegment device, long bytes) {
        check("cudaMemcpy", callInt(memcpy, host, device, bytes, DEVICE_TO_HOST));
    }

    void synchronize() { check("cudaDeviceSynchronize", callInt(deviceSynchronize)); }

    private int intOut(String function, MethodHandle h) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check(function, callInt(h, v));
            return v.get(JAVA_INT, 0);
        }
    }

    private MemorySegment pointerOut(String function, MethodHandle h, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ADDRESS);
            check(function, callInt(h, p, bytes));
            return p.get(ADDRESS, 0);
        }
    }

    // 12080 -> "12.8"
    static String version(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }
}
