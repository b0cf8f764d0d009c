package dev.tauon.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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
        if (java.util.concurrent.ForkJoinTask.getPool() == p) new Chunks(body, n, grain, 0, chunks).invoke();
        else new Shared(body, n, grain, chunks).run(p);
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

    // A call from outside the pool: the caller works too. It and (threads - 1) helper tasks
    // claim chunks from one counter, so a pool thread that is slow to wake (as on a virtual
    // machine) delays nothing: the caller simply claims more chunks itself.
    private static final class Shared {
        private final RangeBody body;
        private final int n, grain, chunks;
        private final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        private final Thread caller = Thread.currentThread();
        private volatile Throwable error;

        Shared(RangeBody body, int n, int grain, int chunks) {
            this.body = body; this.n = n; this.grain = grain; this.chunks = chunks;
        }

        void run(ForkJoinPool p) {
            for (int h = Math.min(p.getParallelism() - 1, chunks - 1); h > 0; h--) p.execute(this::drain);
            drain();
            for (int spins = 0; done.get() < chunks; spins++) {
                if (spins < 1 << 14) Thread.onSpinWait(); else LockSupport.park(this);
            }
            Throwable e = error;
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error r) throw r;
            if (e != null) throw new RuntimeException(e);
        }

        private void drain() {
            for (int i; (i = next.getAndIncrement()) < chunks; ) {
                try {
                    int lo = i * grain;
                    body.run(lo, Math.min(n, lo + grain));
                } catch (Throwable e) {
                    error = e;
                } finally {
                    if (done.incrementAndGet() == chunks) LockSupport.unpark(caller);
                }
            }
        }
    }

    private static final AtomicInteger WORKERS = new AtomicInteger();

    private static ForkJoinPool newPool(int n) {
        return new ForkJoinPool(n, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("tauon-" + WORKERS.getAndIncrement());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
