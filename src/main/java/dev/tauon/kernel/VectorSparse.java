package dev.tauon.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.tauon.kernel.VectorElementwise.L;
import static dev.tauon.kernel.VectorElementwise.S;

// The Vector API twin of ScalarGemm.gemmSparseA: C += A·B over the entries of A that are not
// +0. Blocks of PB rows of B stay in L2 while every row of A in the call visits them; per block
// and row of A the nonzeros are compressed into a short list, then each group of 4·L columns of
// C is held in registers over the list. Every element still accumulates over p in order.
final class VectorSparse {
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    static final int PB = 256;

    private VectorSparse() {}

    static void gemmSparseA(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int m, int n, int k) {
        float[] av = new float[PB];
        int[] ap = new int[PB];
        IntVector iota = IntVector.zero(I).addIndex(1);
        for (int p0 = 0; p0 < k; p0 += PB) {
            int pb = Math.min(PB, k - p0);
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda + p0, cnt = 0, p = 0;
                for (int bound = S.loopBound(pb); p < bound; p += L) {        // the nonzeros of A[i, p0 .. p0+pb)
                    FloatVector v = FloatVector.fromArray(S, a, ai + p);
                    VectorMask<Integer> nz = v.reinterpretAsInts().compare(VectorOperators.NE, 0);
                    v.compress(nz.cast(S)).intoArray(av, cnt);
                    iota.add(p0 + p).compress(nz).intoArray(ap, cnt);
                    cnt += nz.trueCount();
                }
                for (; p < pb; p++) {
                    float x = a[ai + p];
                    if (Float.floatToRawIntBits(x) != 0) { av[cnt] = x; ap[cnt++] = p0 + p; }
                }
                if (cnt == 0) continue;
                int ci = cOff + i * ldc, j = 0;
                for (; j + 4 * L <= n; j += 4 * L) {
                    FloatVector c0 = FloatVector.fromArray(S, c, ci + j), c1 = FloatVector.fromArray(S, c, ci + j + L);
                    FloatVector c2 = FloatVector.fromArray(S, c, ci + j + 2 * L), c3 = FloatVector.fromArray(S, c, ci + j + 3 * L);
                    for (int t = 0; t < cnt; t++) {
                        FloatVector x = FloatVector.broadcast(S, av[t]);
                        int bp = bOff + ap[t] * ldb + j;
                        c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
                        c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
                        c2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), c2);
                        c3 = x.fma(FloatVector.fromArray(S, b, bp + 3 * L), c3);
                    }
                    c0.intoArray(c, ci + j);
                    c1.intoArray(c, ci + j + L);
                    c2.intoArray(c, ci + j + 2 * L);
                    c3.intoArray(c, ci + j + 3 * L);
                }
                for (; j + L <= n; j += L) {
                    FloatVector c0 = FloatVector.fromArray(S, c, ci + j);
                    for (int t = 0; t < cnt; t++) c0 = FloatVector.broadcast(S, av[t]).fma(FloatVector.fromArray(S, b, bOff + ap[t] * ldb + j), c0);
                    c0.intoArray(c, ci + j);
                }
                for (; j < n; j++) {
                    float s = c[ci + j];
                    for (int t = 0; t < cnt; t++) s = Math.fma(av[t], b[bOff + ap[t] * ldb + j], s);
                    c[ci + j] = s;
                }
            }
        }
    }
}
