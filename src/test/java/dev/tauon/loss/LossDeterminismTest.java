package dev.tauon.loss;

import dev.tauon.ForkedJvm;
import dev.tauon.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// The loss family and the metrics give the same bits for any thread count, for 256-bit vectors
// and on the scalar twins.
class LossDeterminismTest {
    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test void sameBitsAcrossThreadsWidthsAndTwins() throws Exception {
        Parallel.setThreads(1);
        List<String> one = LossFingerprint.lines();
        Parallel.setThreads(3);
        assertEquals(one, LossFingerprint.lines(), "3 threads");
        String here = String.join("\n", one);
        assertEquals(here, ForkedJvm.run(LossFingerprint.class, List.of("-XX:MaxVectorSize=32"), "2"), "256-bit vectors");
        assertEquals(here, ForkedJvm.run(LossFingerprint.class, List.of("-Dtauon.simd=false"), "2"), "scalar twins");
    }
}
