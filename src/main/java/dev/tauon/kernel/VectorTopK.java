package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.tauon.kernel.VectorElementwise.L;
import static dev.tauon.kernel.VectorElementwise.S;

// The Vector API twins of TopK's kernels: counting the values at or above a threshold (its
// bisection), and its one pass over a whole row, filterAtLeast, which compresses (vcompressps on
// AVX-512) the values at or above a threshold and their columns, in column order.
final class VectorTopK {
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);

    private VectorTopK() {}

    static int countAtLeast(float[] x, int off, int n, float t) {
        int c = 0, j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) c += FloatVector.fromArray(S, x, off + j).compare(VectorOperators.GE, t).trueCount();
        for (; j < n; j++) if (x[off + j] >= t) c++;
        return c;
    }

    // Branch-free: every vector stores its (possibly empty) compressed lanes at position c. The
    // store spans L slots, but c <= j, so it ends within the first j + L <= n slots.
    static int filterAtLeast(float[] val, int[] col, float[] x, int off, int n, float t) {
        IntVector iota = IntVector.zero(I).addIndex(1);
        int c = 0, j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + j);
            VectorMask<Float> m = v.compare(VectorOperators.GE, t);
            v.compress(m).intoArray(val, c);
            iota.add(j).compress(m.cast(I)).intoArray(col, c);
            c += m.trueCount();
        }
        for (; j < n; j++) {
            float v = x[off + j];
            if (v >= t) { val[c] = v; col[c++] = j; }
        }
        return c;
    }
}
