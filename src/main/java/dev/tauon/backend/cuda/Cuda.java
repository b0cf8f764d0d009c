package dev.tauon.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

// Finds libcudart and libcublas (same major version, newest first), checks that device 0
// answers and that a cuBLAS handle can be made, and says what it found or why there is no GPU.
// -Dtauon.cuda.libdir=DIR loads the libraries from DIR instead of the loader's path.
public final class Cuda {
    public static final String LIBDIR_PROPERTY = "tauon.cuda.libdir";
    static final String[] SUFFIXES = {".so.13", ".so.12", ".so"};

    public sealed interface Status permits Available, Unavailable {}

    public record Available(GpuInfo info, Libraries libraries) implements Status {}

    public record Unavailable(String reason) implements Status {}

    // What was found; one line for `tauon info`.
    public record GpuInfo(String name, long totalBytes, int ccMajor, int ccMinor,
                          String runtime, String driver, String cublas, String cudartFile, String cublasFile) {
        public String describe() {
            return String.format("%s, %.1f GiB, compute %d.%d; CUDA runtime %s, driver %s, cuBLAS %s (%s, %s)",
                    name, totalBytes / (double) (1L << 30), ccMajor, ccMinor, runtime, driver, cublas, cudartFile, cublasFile);
        }
    }

    // The loaded bindings, opaque outside this package.
    public static final class Libraries {
        final CudaRuntime rt;
        final Cublas blas;

        Libraries(CudaRuntime rt, Cublas blas) {
            this.rt = rt;
            this.blas = blas;
        }
    }

    private record Probed(String libdir, Status status) {}

    private static Probed cached;

    private Cuda() {}

    // The status for this process (libdir from -Dtauon.cuda.libdir), probed once per libdir.
    public static synchronized Status status() {
        String dir = System.getProperty(LIBDIR_PROPERTY, "");
        if (cached == null || !cached.libdir().equals(dir)) {
            cached = new Probed(dir, probe(dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir))));
        }
        return cached.status();
    }

    public static Status probe(Optional<Path> libdir) {
        Libraries libs;
        try {
            libs = load(libdir);
        } catch (CudaUnavailable e) {
            return new Unavailable(e.getMessage());
        }
        CudaRuntime rt = libs.rt;
        try {
            int devices = rt.deviceCount();
            if (devices < 1) return new Unavailable("no CUDA device (cudaGetDeviceCount found none)");
            String name = rt.deviceName(0);
            int major = rt.attribute(CudaRuntime.ATTR_CC_MAJOR, 0), minor = rt.attribute(CudaRuntime.ATTR_CC_MINOR, 0);
            long total = rt.memInfo()[1];
            String runtime = CudaRuntime.version(rt.runtimeVersion()), driver = CudaRuntime.version(rt.driverVersion());
            MemorySegment handle = libs.blas.create(Cublas.DEFAULT_MATH);
            String cublas;
            try {
                cublas = Cublas.version(libs.blas.version(handle));
            } finally {
                libs.blas.destroy(handle);
            }
            return new Available(new GpuInfo(name, total, major, minor, runtime, driver, cublas, rt.file, libs.blas.file), libs);
        } catch (CudaException e) {
            String what = "cudaErrorNoDevice".equals(e.status()) ? "no CUDA device" : "driver error";
            return new Unavailable(what + ": " + e.getMessage());
        }
    }

    // Tries libcudart.so.13 + libcublas.so.13, then .12, then the unversioned pair.
    static Libraries load(Optional<Path> libdir) throws CudaUnavailable {
        List<String> tried = new ArrayList<>();
        for (String suffix : SUFFIXES) {
            String rtName = "libcudart" + suffix, blasName = "libcublas" + suffix;
            NativeLibrary rt, blas;
            try {
                rt = open(rtName, libdir);
            } catch (CudaUnavailable e) {
                tried.add(e.getMessage());
                continue;
            }
            try {
                blas = open(blasName, libdir);
            } catch (CudaUnavailable e) {
                tried.add(rtName + " found but " + e.getMessage());
                continue;
            }
            return new Libraries(new CudaRuntime(rt), new Cublas(blas));
        }
        String where = libdir.map(d -> "in " + d).orElse("on the library path");
        throw new CudaUnavailable("CUDA libraries not found " + where + " (" + String.join("; ", tried) + ")");
    }

    // Libraries stay loaded for the life of the process: closing the arena would unload them.
    @SuppressWarnings("restricted")   // loading a library: the point of this package
    private static NativeLibrary open(String name, Optional<Path> libdir) throws CudaUnavailable {
        if (libdir.isEmpty()) {
            try {
                return new NativeLibrary(name, SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException e) {
                throw new CudaUnavailable(name + " not found");
            }
        }
        Path file = libdir.get().resolve(name);
        if (!Files.exists(file)) throw new CudaUnavailable(name + " not found");
        try {
            return new NativeLibrary(file.toString(), SymbolLookup.libraryLookup(file, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new CudaUnavailable(name + " not loadable: " + e.getMessage());
        }
    }
}
