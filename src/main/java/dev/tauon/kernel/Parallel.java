package dev.tauon.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

// The one thread pool. Work is always split into chunks whose size the caller fixes from the
// problem (never from the pool size), and each chunk writes outputs no other chunk writes:
// results are then the same for any thread count.
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(Runtime.getRuntime().availableProcessors());

    private Parallel() {}

    public interface RangeBody { void run(int lo, int hi); }

    public static int threads() { return pool.getParallelism(); }

    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n == pool.getParallelism()) return;
        ForkJoinPool old = pool;
        pool = newPool(n);
        old.shutdown();
    }

    // Runs body over [0, n) in chunks of `grain` (the last may be shorter); chunks may run
    // concurrently, so body must write disjoint outputs per chunk.
    public static void forRange(int n, int grain, RangeBody body) {
        if (grain < 1) throw new IllegalArgumentException("grain must be >= 1, got " + grain);
        int chunks = (int) ((n + (long) grain - 1) / grain);
        if (chunks <= 1 || pool.getParallelism() == 1) {
            for (int lo = 0; lo < n; lo += grain) body.run(lo, Math.min(n, lo + grain));   // same chunks, in order
            return;
        }
        ForkJoinPool p = pool;
        Chunks task = new Chunks(body, n, grain, 0, chunks);
        if (java.util.concurrent.ForkJoinTask.getPool() == p) task.invoke(); else p.invoke(task);
    }

    // Runs body(i) for i in [0, count), each as its own task.
    public static void forEach(int count, java.util.function.IntConsumer body) {
        forRange(count, 1, (lo, hi) -> { for (int i = lo; i < hi; i++) body.accept(i); });
    }

    private static final class Chunks extends RecursiveAction {
        private final RangeBody body;
        private final int n, grain, from, to;

        Chunks(RangeBody body, int n, int grain, int from, int to) {
            this.body = body; this.n = n; this.grain = grain; this.from = from; this.to = to;
        }

        @Override protected void compute() {
            if (to - from == 1) {
                int lo = from * grain;
                body.run(lo, Math.min(n, lo + grain));
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Chunks(body, n, grain, from, mid), new Chunks(body, n, grain, mid, to));
        }
    }

    private static ForkJoinPool newPool(int n) {
        return new ForkJoinPool(n, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("tauon-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
