package dev.tauon.kernel;

import dev.tauon.ForkedJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// The reproducibility promise for the CNN kernels: identical bits for thread counts 1, 2, 3
// and 8, for 256-bit vectors instead of 512-bit, and for the scalar twins.
class CnnDeterminismTest {
    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test void sameBitsForAnyThreadCount() {
        Parallel.setThreads(1);
        List<String> reference = CnnFingerprint.lines();
        for (int threads : new int[] {2, 3, 8}) {
            Parallel.setThreads(threads);
            assertEquals(reference, CnnFingerprint.lines(), "threads=" + threads);
        }
    }

    @Test void sameBitsFor256BitVectorsAndForTheScalarTwins() throws Exception {
        String here = String.join("\n", CnnFingerprint.lines());
        assertEquals(here, ForkedJvm.run(CnnFingerprint.class, List.of("-XX:MaxVectorSize=32"), "3"), "-XX:MaxVectorSize=32");
        assertEquals(here, ForkedJvm.run(CnnFingerprint.class, List.of("-Dtauon.simd=false"), "2"), "-Dtauon.simd=false");
    }
}
