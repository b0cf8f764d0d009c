package dev.tauon.bench;

import dev.tauon.kernel.Kernels;
import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

// C = A·B for square n×n float matrices: Tauon's packed GEMM against EJML's single- and
// multi-threaded float multiply, on the same inputs. GFLOP/s = 2·n³ / (time per op).
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GemmBench {
    @Param({"256", "512", "1024"})
    int n;

    @Param({"2"})
    int threads;

    float[] a, b, c;
    FMatrixRMaj ma, mb, mc;

    @Setup public void setUp() {
        Parallel.setThreads(threads);
        Rng rng = Rng.seeded(n);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        rng.split(1).fillUniform(a, 0, a.length, -1, 1);
        rng.split(2).fillUniform(b, 0, b.length, -1, 1);
        ma = new FMatrixRMaj(n, n, true, a);
        mb = new FMatrixRMaj(n, n, true, b);
        mc = new FMatrixRMaj(n, n);
    }

    @Benchmark public float[] tauon() {
        Kernels.gemm(c, 0, n, a, 0, n, false, b, 0, n, false, n, n, n, 1f, 0f);
        return c;
    }

    @Benchmark public FMatrixRMaj ejml() {
        CommonOps_FDRM.mult(ma, mb, mc);
        return mc;
    }

    // EJML's concurrent variant runs on the common ForkJoinPool (all cores of this machine).
    @Benchmark public FMatrixRMaj ejmlMT() {
        CommonOps_MT_FDRM.mult(ma, mb, mc);
        return mc;
    }
}
