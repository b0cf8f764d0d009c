package dev.tauon.loss;

import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.backend.ActiveBackend;
import dev.tauon.kernel.Kernels;
import dev.tauon.ops.L2Normalize;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Shape;
import dev.tauon.tensor.Tensor;

// The paper's memory bank (docs/paper.md §1, InstDisc style): N×d embeddings, one per training image,
// initialised uniform in [−1/√(d/3), 1/√(d/3)] (not normalised), updated after each step as
// m_i ← normalize(μ·m_i + (1−μ)·z_i) with μ = 0.5; no gradient ever flows into it. (A transposed
// mirror for the forward GEMM was measured: no faster with the packed GEMM, so there is none.)
public final class MemoryBank {
    private final int n, d;
    private final float momentum;
    private final Tensor bank;
    private boolean finite = true;     // every entry finite (update() clears it for good)

    public MemoryBank(int n, int d, float momentum, Rng rng) {
        if (n < 1 || d < 1) throw new IllegalArgumentException("memory bank: size must be positive, got " + n + "×" + d);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("memory bank: momentum must be in [0, 1), got " + momentum);
        this.n = n;
        this.d = d;
        this.momentum = momentum;
        this.bank = Tensor.zeros(n, d);
        float r = (float) (1.0 / Math.sqrt(d / 3.0));
        rng.fillUniform(bank.data(), 0, n * d, -r, r);
    }

    public int size() { return n; }
    public int dim() { return d; }
    public float momentum() { return momentum; }
    // The bank itself; change it only through update().
    public float[] data() { return bank.data(); }

    // Replaces every entry (a checkpoint's bank being restored).
    public void load(float[] values) {
        if (values.length != n * d) throw new IllegalArgumentException("memory bank: " + values.length + " values for a bank of " + n + "×" + d);
        System.arraycopy(values, 0, bank.data(), 0, values.length);
        finite = true;
        for (float v : values) finite &= Float.isFinite(v);
    }

    // z: (B,d) -> s: (B,N) = z·bankᵀ (one GEMM; the bank is a constant)
    public Var similarity(Var z) {
        if (z.shape().rank() != 2 || z.dim(1) != d) throw new IllegalArgumentException("memory bank: embeddings " + z.shape() + " do not fit a bank of dimension " + d);
        int b = z.dim(0);
        float[] s = Workspace.floats(Shape.of(b, n).size());
        ActiveBackend.get().gemm(s, 0, n, z.data(), 0, d, false, bank.data(), 0, d, true, b, n, d, 1f, 0f);
        return Var.result("bank_similarity", Tensor.of(s, b, n), out -> {
            // dZ += dS·bank (nothing flows into the bank). The hard loss leaves K+1 nonzeros in a
            // row of N: then a product over the nonzeros only is several times faster than the
            // GEMM, and gives its bits (the terms it skips, fma(+0, m, c), return c for a finite
            // bank and c other than −0).
            float[] dS = out.gradData(), dZ = z.gradData();
            if (ActiveBackend.offCpu() == null && finite && mostlyZero(dS, n) && noNegativeZero(dZ)) {
                Kernels.gemmSparseA(dZ, 0, d, dS, 0, n, bank.data(), 0, d, b, d, n);
            } else {
                ActiveBackend.get().gemm(dZ, 0, d, dS, 0, n, false, bank.data(), 0, d, false, b, d, n, 1f, 1f);
            }
        }, z);
    }

    // Whether the first row of x holds at most a quarter nonzeros (either product gives the same
    // bits, so this only picks the faster).
    private static boolean mostlyZero(float[] x, int n) {
        int nonzero = 0;
        for (int j = 0; j < n; j++) if (Float.floatToRawIntBits(x[j]) != 0) nonzero++;
        return nonzero <= n / 4;
    }

    private static boolean noNegativeZero(float[] x) {
        for (float v : x) if (Float.floatToRawIntBits(v) == 0x80000000) return false;
        return true;
    }

    // z: (B,d), indices: (B) -> m_i ← normalize(μ m_i + (1−μ) z_i), rows in order (duplicates apply in turn)
    public void update(int[] indices, float[] z) {
        if (z.length != indices.length * d) throw new IllegalArgumentException("memory bank: " + indices.length + " indices for " + z.length + " values of dimension " + d);
        float[] m = bank.data();
        float a = momentum, b = 1f - momentum;
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            if (i < 0 || i >= n) throw new IllegalArgumentException("memory bank: index " + i + " outside [0, " + n + ")");
            for (int j = 0; j < d; j++) m[i * d + j] = Math.fma(a, m[i * d + j], b * z[r * d + j]);
            Kernels.normalizeRows(m, null, m, i * d, 1, d, L2Normalize.EPS);
            for (int j = 0; j < d; j++) finite &= Float.isFinite(m[i * d + j]);
        }
    }
}
