package dev.tauon.backend.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

// Finding the libraries and the device, and every way of not finding them.
class CudaProbeTest {
    @Test void findsTheFakeDeviceAndVersions() {
        Cuda.GpuInfo info = FakeCuda.available().info();
        assertEquals("Fake CUDA Device (CPU)", info.name());
        assertEquals(8L << 30, info.totalBytes());
        assertEquals(9, info.ccMajor());
        assertEquals(0, info.ccMinor());
        assertEquals("12.8", info.runtime());
        assertEquals("12.9", info.driver());
        assertEquals("12.8.2", info.cublas());
        assertTrue(info.cudartFile().endsWith("libcudart.so.12") && info.cublasFile().endsWith("libcublas.so.12"), info.toString());
        assertTrue(info.describe().startsWith("Fake CUDA Device (CPU), 8.0 GiB, compute 9.0; CUDA runtime 12.8"), info.describe());
    }

    @Test void emptyDirectoryNamesEveryLibraryTried(@TempDir Path empty) {
        String reason = unavailable(empty);
        for (String lib : new String[] {"libcudart.so.13", "libcudart.so.12", "libcudart.so"}) {
            assertTrue(reason.contains(lib + " not found"), reason);
        }
        assertTrue(reason.contains("in " + empty), reason);
    }

    @Test void runtimeWithoutCublasSaysWhichIsMissing(@TempDir Path dir) throws IOException {
        Files.copy(FakeCuda.dir().resolve("libcudart.so.12"), dir.resolve("libcudart.so.12"));
        String reason = unavailable(dir);
        assertTrue(reason.contains("libcudart.so.12 found but libcublas.so.12 not found"), reason);
    }

    @Test void libraryWithoutTheSymbolsIsRejected(@TempDir Path dir) throws IOException {
        Files.copy(FakeCuda.dir().resolve("libcublas.so.12"), dir.resolve("libcudart.so.12"));   // wrong library
        Files.copy(FakeCuda.dir().resolve("libcublas.so.12"), dir.resolve("libcublas.so.12"));
        String reason = unavailable(dir);
        assertTrue(reason.contains("symbol cudaGetErrorName not found in " + dir.resolve("libcudart.so.12")), reason);
    }

    // Like a real libcublas whose libcublasLt is missing: the file is there but dlopen fails.
    @Test void libraryWithAMissingDependencyIsNotLoadable(@TempDir Path dir, @TempDir Path elsewhere) throws IOException {
        Path src = Path.of("src/test/c/fakecuda.c").toAbsolutePath();
        Path lt = elsewhere.resolve("libfakecublasLt.so");
        FakeCuda.gcc("-shared", "-fPIC", "-Wl,-z,noexecstack", "-o", lt.toString(), "-x", "c", "/dev/null");
        Files.copy(FakeCuda.dir().resolve("libcudart.so.12"), dir.resolve("libcudart.so.12"));
        FakeCuda.gcc("-shared", "-fPIC", "-Wl,-z,noexecstack", "-DFAKE_CUBLAS", "-o", dir.resolve("libcublas.so.12").toString(),
                src.toString(), "-Wl,--no-as-needed", "-L" + elsewhere, "-lfakecublasLt");
        String reason = unavailable(dir);
        assertTrue(reason.contains("libcudart.so.12 found but libcublas.so.12 not loadable"), reason);
    }

    @Test void noDeviceIsReportedWithTheCudaError() {
        Path dir = FakeCuda.dir();
        FakeCuda.setDeviceCount(0);
        try {
            String reason = unavailable(dir);
            assertTrue(reason.startsWith("no CUDA device: cudaGetDeviceCount failed: cudaErrorNoDevice (100)"), reason);
        } finally {
            FakeCuda.setDeviceCount(1);
        }
    }

    // The real libcudart (when a CUDA toolkit is installed) with the fake cuBLAS: on a machine
    // without a driver the probe must report the driver error from cudaGetDeviceCount.
    @Test void realRuntimeWithoutDriverGivesADriverError(@TempDir Path dir) throws IOException {
        Path real = Path.of("/usr/local/cuda/lib/libcudart.so.13");
        if (!Files.exists(real)) real = Path.of("/usr/local/cuda/lib64/libcudart.so.13");
        Assumptions.assumeTrue(Files.exists(real), "no CUDA 13 toolkit runtime at /usr/local/cuda");
        Files.createSymbolicLink(dir.resolve("libcudart.so.13"), real.toRealPath());
        Files.copy(FakeCuda.dir().resolve("libcublas.so.12"), dir.resolve("libcublas.so.13"));
        switch (Cuda.probe(Optional.of(dir))) {
            case Cuda.Available a -> assertTrue(!a.info().name().isEmpty(), "a real GPU answered with no name");
            case Cuda.Unavailable u -> assertTrue(u.reason().contains("cudaGetDeviceCount failed: cudaError"), u.reason());
        }
    }

    private static String unavailable(Path dir) {
        return assertInstanceOf(Cuda.Unavailable.class, Cuda.probe(Optional.of(dir))).reason();
    }
}
