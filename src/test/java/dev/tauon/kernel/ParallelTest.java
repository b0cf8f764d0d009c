package dev.tauon.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

class ParallelTest {
    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test void everyIndexRunsExactlyOnceWhateverTheThreadCount() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 7, 64, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                Parallel.forRange(n, 10, (lo, hi) -> {
                    assertTrue(hi - lo <= 10 && lo % 10 == 0, "chunk [" + lo + "," + hi + ") is not a fixed-size chunk");
                    for (int i = lo; i < hi; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " with " + threads + " threads");
            }
        }
    }

    @Test void nestedCallsDoNotDeadlock() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.forRange(10, 1, (lo, hi) -> Parallel.forRange(10, 2, (l2, h2) -> {
            for (int j = l2; j < h2; j++) hits.incrementAndGet(lo * 10 + j);
        }));
        for (int i = 0; i < 100; i++) assertEquals(1, hits.get(i));
    }

    @Test void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(5, 0, (lo, hi) -> {}));
    }
}
