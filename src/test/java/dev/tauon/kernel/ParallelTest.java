package dev.tauon.kernel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

// Parallel.forRange from the calling thread (which claims chunks alongside the pool) and from
// inside the pool: every index exactly once, chunks of the asked size whatever the pool size
// (a one-thread pool runs the same chunks in order), failures reach the caller.
class ParallelTest {
    @Test void everyIndexRunsExactlyOnceForAnyPoolSize() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3, 8}) {
                Parallel.setThreads(threads);
                for (int[] ng : new int[][] {{0, 1}, {1, 1}, {7, 3}, {1000, 1}, {1000, 64}, {4097, 1000}}) {
                    int n = ng[0], grain = ng[1];
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    Parallel.forRange(n, grain, (lo, hi) -> {
                        assertTrue(0 <= lo && lo < hi && hi <= n, "chunk [" + lo + ", " + hi + ")");
                        assertTrue(lo % grain == 0 && hi - lo <= grain, "chunk [" + lo + ", " + hi + ") is not a fixed-size chunk");
                        for (int i = lo; i < hi; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n + ", threads " + threads);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test void nestedCallsCompleteFromCallerAndPoolThreads() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        Parallel.forEach(64, i -> Parallel.forEach(64, j -> hits.incrementAndGet(i * 64 + j)));
        for (int i = 0; i < hits.length(); i++) assertEquals(1, hits.get(i));
    }

    @Test void aFailingChunkReachesTheCaller() {
        var e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(16, i -> {
            if (i == 11) throw new IllegalStateException("chunk 11");
        }));
        assertEquals("chunk 11", e.getMessage());
    }

    @Test void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(5, 0, (lo, hi) -> {}));
    }
}
