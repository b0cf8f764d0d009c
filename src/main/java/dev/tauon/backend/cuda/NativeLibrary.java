package dev.tauon.backend.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

// One loaded shared library and its downcalls. Calls go through invokeWithArguments: a handful
// per GEMM, each far cheaper than the copies around it, and no exact-type casts at every site.
record NativeLibrary(String file, SymbolLookup lookup) {
    private static final Linker LINKER = Linker.nativeLinker();

    MethodHandle function(String name, FunctionDescriptor fd) throws CudaUnavailable {
        return optional(name, fd).orElseThrow(() -> new CudaUnavailable("symbol " + name + " not found in " + file));
    }

    @SuppressWarnings("restricted")
    Optional<MethodHandle> optional(String name, FunctionDescriptor fd) {
        return lookup.find(name).map(symbol -> LINKER.downcallHandle(symbol, fd));
    }

    static int callInt(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // A C string returned by the library (static storage), or "?" for NULL.
    @SuppressWarnings("restricted")
    static String callString(MethodHandle h, Object... args) {
        MemorySegment p;
        try {
            p = (MemorySegment) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return p.equals(MemorySegment.NULL) ? "?" : p.reinterpret(4096).getString(0);
    }

    static FunctionDescriptor returnsInt(MemoryLayout... args) {
        return FunctionDescriptor.of(JAVA_INT, args);
    }

    static FunctionDescriptor returnsPointer(MemoryLayout... args) {
        return FunctionDescriptor.of(ADDRESS, args);
    }
}
