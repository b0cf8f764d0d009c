package dev.tauon.kernel;

import dev.tauon.ForkedJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// The reproducibility promise for kernels: identical bits for any thread count, for 256-bit
// vectors instead of 512-bit, and for the scalar twins.
class DeterminismTest {
    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test void sameBitsForAnyThreadCount() {
        Parallel.setThreads(1);
        List<String> reference = KernelFingerprint.lines();
        for (int threads : new int[] {2, 3, 8}) {
            Parallel.setThreads(threads);
            assertEquals(reference, KernelFingerprint.lines(), "threads=" + threads);
        }
    }

    @Test void sameBitsFor256BitVectorsAndForTheScalarTwins() throws Exception {
        String here = String.join("\n", KernelFingerprint.lines());
        assertEquals(here, ForkedJvm.run(KernelFingerprint.class, List.of("-XX:MaxVectorSize=32"), "3"), "-XX:MaxVectorSize=32");
        assertEquals(here, ForkedJvm.run(KernelFingerprint.class, List.of("-Dtauon.simd=false"), "2"), "-Dtauon.simd=false");
    }
}
