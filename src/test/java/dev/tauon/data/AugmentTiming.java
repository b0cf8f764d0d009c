package dev.tauon.data;

import dev.tauon.tensor.Rng;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

// Nanoseconds per image of Augment.paper on one thread, 1x28x28 and 3x32x32 (not a test):
//   java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.tauon.data.AugmentTiming
public final class AugmentTiming {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();   // CPU time: robust to a loaded machine

    public static void main(String[] args) {
        int[][] shapes = {{1, 28, 28}, {3, 32, 32}};
        for (int round = 0; round < 3; round++) {   // the first rounds warm the JIT up
            for (int[] s : shapes) {
                int c = s[0], h = s[1], w = s[2], size = c * h * w, images = 256, reps = 200;
                float[] src = new float[images * size], dst = new float[size];
                Rng.seeded(1).fillUniform(src, 0, src.length, 0, 1);
                Augment a = Augment.paper(c);
                Rng rng = Rng.seeded(2);
                float sink = 0;
                long t0 = System.nanoTime(), cpu0 = CPU.getCurrentThreadCpuTime();
                for (int r = 0; r < reps; r++) {
                    for (int i = 0; i < images; i++) {
                        a.apply(src, i * size, dst, 0, c, h, w, rng.split(r).split(i));
                        sink += dst[i % size];
                    }
                }
                double ns = (System.nanoTime() - t0) / (double) (reps * images), cpu = (CPU.getCurrentThreadCpuTime() - cpu0) / (double) (reps * images);
                System.out.printf("round %d  %dx%dx%d  %.0f ns/image of thread CPU time (%.0f ns wall)  (sink %.1f)%n", round, c, h, w, cpu, ns, sink);
            }
        }
    }
}
