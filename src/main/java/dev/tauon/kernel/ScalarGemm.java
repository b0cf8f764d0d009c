package dev.tauon.kernel;

// The readable twins of VectorGemm, and the reference GEMM that defines their order: GEMM
// micro-kernels and packing (driven by Gemm), ConvDirect's implicit-GEMM kernels, the direct
// convolution with one input channel, and the sparse-A product. Every C element is one chain,
// c = fma(A(i,p), B(p,j), c) for p in order. The micro-kernels and packing work on the tile of
// the selected kernel set (Twins.MR × Twins.NR): the vector set's when SIMD is on, so the tests
// can hold the two twins against each other, and 4 × 32 when these are the fallback.
public final class ScalarGemm {
    private static final int MR = Twins.MR, NR = Twins.NR;

    private ScalarGemm() {}

    // C = alpha·op(A)·op(B) + beta·C.  op(A): (m,k), op(B): (k,n), C: (m,n), all row-major.
    // A is stored (m,k) with row stride lda, or (k,m) when transA; likewise B is (k,n) or (n,k).
    // Canonical order per element: c = beta==0 ? 0 : beta·C[i,j]; then for p = 0..k-1 in order,
    // c = fma(alpha·A(i,p), B(p,j), c). beta == 0 never reads C (NaN there is ignored).
    public static void gemm(float[] c, int cOff, int ldc,
                            float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB,
                            int m, int n, int k, float alpha, float beta) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
            for (int p = 0; p < k; p++) {
                float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                for (int j = 0; j < n; j++) {
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    c[ci + j] = Math.fma(aip, bpj, c[ci + j]);
                }
            }
        }
    }

    // C: (rows, NR) tile at cOff, row stride ldc; ap: packed A (kc, MR), alpha folded in;
    // bp: B (kc, NR), rows ldb apart. C[i,j] = fma(ap[p,i], bp[p,j], C[i,j]) for p = 0..kc-1 in
    // order, from the stored C, or from 0 when !load. Eight columns at a time in locals: eight
    // independent fma chains keep both FMA ports busy (C2 does not vectorise this loop).
    static void gemmMicro(int rows, float[] c, int cOff, int ldc, float[] ap, int aOff, float[] bp, int bOff, int ldb, int kc, boolean load) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < NR; j += 8) {
                int cj = cOff + i * ldc + j;
                float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f, c4 = 0f, c5 = 0f, c6 = 0f, c7 = 0f;
                if (load) {
                    c0 = c[cj]; c1 = c[cj + 1]; c2 = c[cj + 2]; c3 = c[cj + 3];
                    c4 = c[cj + 4]; c5 = c[cj + 5]; c6 = c[cj + 6]; c7 = c[cj + 7];
                }
                for (int p = 0; p < kc; p++) {
                    float aip = ap[aOff + p * MR + i];
                    int bo = bOff + p * ldb + j;
                    c0 = Math.fma(aip, bp[bo], c0); c1 = Math.fma(aip, bp[bo + 1], c1);
                    c2 = Math.fma(aip, bp[bo + 2], c2); c3 = Math.fma(aip, bp[bo + 3], c3);
                    c4 = Math.fma(aip, bp[bo + 4], c4); c5 = Math.fma(aip, bp[bo + 5], c5);
                    c6 = Math.fma(aip, bp[bo + 6], c6); c7 = Math.fma(aip, bp[bo + 7], c7);
                }
                c[cj] = c0; c[cj + 1] = c1; c[cj + 2] = c2; c[cj + 3] = c3;
                c[cj + 4] = c4; c[cj + 5] = c5; c[cj + 6] = c6; c[cj + 7] = c7;
            }
        }
    }

    // gemmMicro with B row p at bp[bOff + off[oOff + p]] (ConvDirect: rows of the implicit im2col
    // matrix are windows of a padded plane, read in place).
    static void gemmMicroOff(int rows, float[] c, int cOff, int ldc, float[] ap, int aOff, float[] bp, int bOff, int[] off, int oOff, int kc, boolean load) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < NR; j++) {
                float cij = load ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < kc; p++) cij = Math.fma(ap[aOff + p * MR + i], bp[bOff + off[oOff + p] + j], cij);
                c[cOff + i * ldc + j] = cij;
            }
        }
    }

    // gemmMicro on MR rows of A read in place, row i at am[rowOff[rOff + i] + aShift + p]
    // (alpha = 1; Gemm's narrow products and ConvDirect.backwardWeight).
    static void gemmMicroAOff(float[] c, int cOff, int ldc, float[] am, int[] rowOff, int rOff, int aShift, float[] bp, int bOff, int ldb, int kc, boolean load) {
        for (int i = 0; i < MR; i++) {
            int ai = rowOff[rOff + i] + aShift;
            for (int j = 0; j < NR; j++) {
                float cij = load ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < kc; p++) cij = Math.fma(am[ai + p], bp[bOff + p * ldb + j], cij);
                c[cOff + i * ldc + j] = cij;
            }
        }
    }

    // rows × NR floats of tile (row r at r·NR, two halves of NR/2) -> y: row r's elements whose
    // bit is set in keepA (first half) and keepB (second), in order, to y[yOff + r·ldy + firstA ..]
    // and [.. + firstB ..]; added to what is there when acc (y + tile). ConvDirect's store of a
    // Wp-wide product tile whose rows wrap: the kept elements of a half are contiguous in y.
    static void storeCompressed(float[] y, int yOff, int ldy, float[] tile, int rows, long keepA, long keepB, int firstA, int firstB, boolean acc) {
        int half = NR / 2;
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < 2; h++) {
                long keep = h == 0 ? keepA : keepB;
                int o = yOff + r * ldy + (h == 0 ? firstA : firstB);
                for (int l = 0; l < half; l++) {
                    if ((keep >>> l & 1) == 0) continue;
                    float v = tile[r * NR + h * half + l];
                    y[o] = acc ? y[o] + v : v;
                    o++;
                }
            }
        }
    }

    // A full MR-row panel of untransposed A, row r at a[aRow + idx[r]] (idx from gemmPackIndex),
    // columns [0, kb), to w[d + p·MR + r] = alpha·A(r, p), the product rounded once.
    static void gemmPackA(float[] w, int d, float[] a, int aRow, int lda, int kb, float alpha, int[] idx) {
        for (int r = 0; r < MR; r++) {
            for (int p = 0; p < kb; p++) w[d + p * MR + r] = alpha * a[aRow + idx[r] + p];
        }
    }

    // gemmPackA's index for rows lda apart: idx[r] = r·lda
    static int[] gemmPackIndex(int lda) {
        int[] idx = new int[MR];
        for (int r = 0; r < MR; r++) idx[r] = r * lda;
        return idx;
    }

    // A full NR-column panel of transposed B, column j at b[bCol + idx[j]] (Gemm.columnIndex),
    // contiguous along p, rows [0, kb), to bp[d + p·NR + j] = B(p, j).
    static void gemmPackColumns(float[] bp, int d, float[] b, int bCol, int kb, int[] idx) {
        for (int p = 0; p < kb; p++) {
            for (int j = 0; j < NR; j++) bp[d + p * NR + j] = b[bCol + idx[j] + p];
        }
    }

    // Row p of untransposed B (contiguous from b[bRow]) into `panels` packed panels: panel q
    // receives b[bRow + q·NR, + NR) at bp[bOff + q·panelStride].
    static void gemmPackRow(float[] bp, int bOff, int panelStride, float[] b, int bRow, int panels) {
        for (int q = 0; q < panels; q++) System.arraycopy(b, bRow + q * NR, bp, bOff + q * panelStride, NR);
    }

    // One input channel at stride 1, without im2col. xp: the channel's plane zero-padded to
    // (P+R-1, Wp = Q+S-1); w: (K, R·S) -> y: (K, P, Q) at yOff. Each y[k,p,q] is gemm's chain for
    // C = 1 (beta = 0): from +0, fma(w[k,r,s], xp[p+r, q+s], y) for (r,s) in row-major order;
    // a padded tap is the +0 that im2col would have written.
    static void conv1Forward(float[] y, int yOff, float[] xp, int Wp, float[] w, int K, int R, int S, int P, int Q) {
        for (int k = 0; k < K; k++) {
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < Q; q++) {
                    float acc = 0f;
                    for (int j = 0; j < R * S; j++) acc = Math.fma(w[k * R * S + j], xp[(p + j / S) * Wp + q + j % S], acc);
                    y[yOff + (k * P + p) * Q + q] = acc;
                }
            }
        }
    }

    // C += A·B over the entries of A that are not +0 (bit pattern 0): A: (m,k) row stride lda,
    // B: (k,n) row stride ldb, C: (m,n) row stride ldc. Per element, for p = 0..k-1 in order with
    // A[i,p] not +0, c = fma(A[i,p], B[p,j], c). A skipped term fma(+0, b, c) would return c for
    // finite b and c other than −0, so then this is gemm(alpha = 1, beta = 1) bit for bit.
    // Twin of VectorSparse.gemmSparseA.
    public static void gemmSparseA(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float x = a[aOff + i * lda + p];
                if (Float.floatToRawIntBits(x) == 0) continue;
                for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = Math.fma(x, b[bOff + p * ldb + j], c[cOff + i * ldc + j]);
            }
        }
    }
}
