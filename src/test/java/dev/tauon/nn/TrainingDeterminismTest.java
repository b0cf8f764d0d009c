package dev.tauon.nn;

import dev.tauon.ForkedJvm;
import dev.tauon.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// 20 SGD steps of SmallConvNet on a fixed batch: bit-identical weights, batch-norm statistics
// and loss for 1, 2 and 4 threads and for 256-bit vectors; the scalar twins agree on a smaller net.
class TrainingDeterminismTest {
    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test void smallConvNetIsBitIdenticalForAnyThreadCountAndVectorWidth() throws Exception {
        Parallel.setThreads(1);
        String one = TrainingFingerprint.run("full", 20);
        Parallel.setThreads(2);
        assertEquals(one, TrainingFingerprint.run("full", 20), "2 threads");
        Parallel.setThreads(4);
        assertEquals(one, TrainingFingerprint.run("full", 20), "4 threads");
        assertEquals(one, ForkedJvm.run(TrainingFingerprint.class, List.of("-XX:MaxVectorSize=32"), "2", "full", "20"), "256-bit vectors");
    }

    @Test void scalarTwinsAgreeOnASmallerNet() throws Exception {
        String here = TrainingFingerprint.run("small", 20);
        assertEquals(here, ForkedJvm.run(TrainingFingerprint.class, List.of("-Dtauon.simd=false"), "3", "small", "20"), "scalar twins");
    }

    @Test void trainingActuallyChangesTheWeights() {
        String a = TrainingFingerprint.run("small", 1), b = TrainingFingerprint.run("small", 2);
        assertNotEquals(a.substring(a.indexOf("state=")), b.substring(b.indexOf("state=")));
    }
}
