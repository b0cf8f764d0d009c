package dev.tauon.ops;

import dev.tauon.autograd.Var;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tauon.ops.GradCheck.check;
import static dev.tauon.ops.GradCheck.param;
import static org.junit.jupiter.api.Assertions.*;

// Central-difference checks of the CNN ops and of small composite nets built from them.
class CnnOpsGradTest {
    @Test void conv2dWithStrideAndPadding() {
        check("conv2d 3x3 s1 p1", v -> Conv2d.apply(v.get(0), v.get(1), 1, 1), param(1, -1, 1, 2, 2, 5, 5), param(2, -1, 1, 3, 2, 3, 3));
        check("conv2d 3x3 s2 p1", v -> Conv2d.apply(v.get(0), v.get(1), 2, 1), param(3, -1, 1, 2, 3, 6, 7), param(4, -1, 1, 2, 3, 3, 3));
        check("conv2d 1x1 s2 p0", v -> Conv2d.apply(v.get(0), v.get(1), 2, 0), param(5, -1, 1, 1, 4, 5, 5), param(6, -1, 1, 3, 4, 1, 1));
        // x feeds two convolutions: the first backward overwrites x's fresh gradient, the second adds
        // (8 channels at stride 1: ConvDirect's path; strided: im2col's)
        check("conv2d shared input", v -> Add.apply(Conv2d.apply(v.get(0), v.get(1), 1, 1), Conv2d.apply(v.get(0), v.get(2), 1, 1)),
                param(40, -1, 1, 1, 8, 4, 16), param(41, -1, 1, 8, 8, 3, 3), param(42, -1, 1, 8, 8, 3, 3));
        check("conv2d shared input, strided", v -> Add.apply(Conv2d.apply(v.get(0), v.get(1), 2, 1), Conv2d.apply(v.get(0), v.get(2), 2, 1)),
                param(43, -1, 1, 2, 2, 5, 5), param(44, -1, 1, 3, 2, 3, 3), param(45, -1, 1, 3, 2, 3, 3));
    }

    @Test void maxPoolRoutesGradientToTheWinner() {
        // distinct values a grid step apart, so x ± h never changes a window's winner
        Var x = Var.param(Tensor.zeros(2, 2, 4, 6));
        float[] d = x.data();
        int[] perm = dev.tauon.tensor.Rng.seeded(7).permutation(d.length);
        for (int i = 0; i < d.length; i++) d[i] = 0.1f * perm[i];
        check("maxpool 2x2", v -> MaxPool2d.apply(v.get(0), 2, 2), x);
        // ties: the first maximum in row-major window order takes the whole gradient
        Var t = Var.param(Tensor.of(new float[] {1, 5, 5, 2}, 1, 1, 2, 2));
        Sum.apply(MaxPool2d.apply(t, 2, 2)).backward();
        assertArrayEquals(new float[] {0, 1, 0, 0}, t.grad().data());
    }

    @Test void globalAveragePool() {
        check("gap", v -> GlobalAvgPool.apply(v.get(0)), param(8, -1, 1, 3, 2, 3, 4));
    }

    @Test void batchNormTrainAndEval() {
        float[] rm = new float[3], rv = {1, 1, 1};
        check("batchnorm train", v -> BatchNorm.train(v.get(0), v.get(1), v.get(2), rm.clone(), rv.clone(), 0.1f, 1e-5f),
                List.of(param(9, -2, 2, 4, 3, 2, 2), param(10, 0.5f, 1.5f, 3), param(11, -1, 1, 3)), 1e-2f, 3e-3f, 3e-2f);
        check("batchnorm train (N,C)", v -> BatchNorm.train(v.get(0), v.get(1), v.get(2), rm.clone(), rv.clone(), 0.1f, 1e-5f),
                List.of(param(12, -2, 2, 5, 3), param(13, 0.5f, 1.5f, 3), param(14, -1, 1, 3)), 1e-2f, 3e-3f, 3e-2f);
        float[] em = {0.1f, -0.2f, 0.3f}, ev = {0.5f, 2f, 1f};
        check("batchnorm eval", v -> BatchNorm.eval(v.get(0), v.get(1), v.get(2), em, ev, 1e-5f),
                param(15, -2, 2, 2, 3, 2, 2), param(16, 0.5f, 1.5f, 3), param(17, -1, 1, 3));
    }

    // relu(bn(x)) and maxpool(relu(bn(x))) fused against the separate ops: the same bits in values,
    // running statistics and every gradient (the unfused ops are gradient-checked on their own)
    @Test void fusedBatchNormReluAndPoolMatchTheSeparateOpsBitForBit() {
        for (int[] dims : new int[][] {{6, 3, 6, 8}, {9, 4}, {5, 2, 4, 4}}) {
            int pools = dims.length == 4 ? 2 : 1;
            for (int pool = 0; pool < pools; pool++) {
                List<float[]> ref = null;
                for (int fused = 0; fused < 2; fused++) {
                    Var x = param(30, -2, 2, dims), g = param(31, 0.5f, 1.5f, dims[1]), b = param(32, -1, 1, dims[1]);
                    for (int i = 0; i < x.size(); i += 5) x.data()[i] = 0.5f;          // ties inside the pooling windows
                    float[] rm = new float[dims[1]], rv = new float[dims[1]];
                    java.util.Arrays.fill(rv, 1f);
                    Var y = fused == 1
                            ? (pool == 1 ? BatchNorm.trainReluMaxPool(x, g, b, rm, rv, 0.1f, 1e-5f, 2) : BatchNorm.trainRelu(x, g, b, rm, rv, 0.1f, 1e-5f))
                            : (pool == 1 ? MaxPool2d.apply(Relu.apply(BatchNorm.train(x, g, b, rm, rv, 0.1f, 1e-5f)), 2, 2)
                                         : Relu.apply(BatchNorm.train(x, g, b, rm, rv, 0.1f, 1e-5f)));
                    Var w = param(33, -1, 1, y.shape().dims());
                    Sum.apply(Mul.apply(Mul.apply(y, w), y)).backward();    // two consumers: y's gradient accumulates
                    List<float[]> got = List.of(y.data().clone(), rm, rv, x.grad().data().clone(), g.grad().data().clone(), b.grad().data().clone());
                    if (ref == null) { ref = got; continue; }
                    for (int i = 0; i < got.size(); i++) {
                        for (int j = 0; j < got.get(i).length; j++) {
                            assertEquals(Float.floatToIntBits(ref.get(i)[j]), Float.floatToIntBits(got.get(i)[j]), "pool " + pool + " result " + i + "[" + j + "]");
                        }
                    }
                }
            }
        }
        float[] rm = new float[3], rv = {1, 1, 1};
        check("batchnorm+relu train", v -> BatchNorm.trainRelu(v.get(0), v.get(1), v.get(2), rm.clone(), rv.clone(), 0.1f, 1e-5f),
                List.of(param(34, -2, 2, 4, 3, 2, 2), param(35, 0.5f, 1.5f, 3), param(36, -0.5f, 0.5f, 3)), 1e-2f, 3e-3f, 3e-2f);
        check("batchnorm+relu+maxpool train", v -> BatchNorm.trainReluMaxPool(v.get(0), v.get(1), v.get(2), rm.clone(), rv.clone(), 0.1f, 1e-5f, 2),
                List.of(param(37, -2, 2, 3, 3, 4, 4), param(38, 0.5f, 1.5f, 3), param(39, 0.5f, 1f, 3)), 1e-2f, 3e-3f, 3e-2f);
    }

    @Test void batchNormHandComputed() {
        // one channel, values (1, 3): mean 2, biased var 1, x̂ = (−1, 1); γ = 2, β = 0.5 -> (−1.5, 2.5)
        float[] rm = {0}, rv = {1};
        Var x = Var.param(Tensor.of(new float[] {1, 3}, 2, 1));
        Var y = BatchNorm.train(x, Var.param(Tensor.of(new float[] {2}, 1)), Var.param(Tensor.of(new float[] {0.5f}, 1)), rm, rv, 0.1f, 0f);
        assertArrayEquals(new float[] {-1.5f, 2.5f}, y.data(), 1e-6f);
        assertEquals(0.2f, rm[0], 1e-7f);                 // 0.9·0 + 0.1·2
        assertEquals(0.9f + 0.1f * 2f, rv[0], 1e-6f);     // unbiased var = 2
    }

    @Test void compositeConvNet() {
        // conv -> BN -> ReLU -> maxpool -> conv(stride 2) -> GAP -> linear, checked for input and weights
        float[] rm = new float[3], rv = {1, 1, 1};
        Var x = param(20, -1, 1, 3, 1, 8, 8), w1 = param(21, -0.5f, 0.5f, 3, 1, 3, 3), w2 = param(22, -0.5f, 0.5f, 4, 3, 3, 3);
        Var g = param(23, 0.8f, 1.2f, 3), b = param(24, -0.1f, 0.1f, 3), lw = param(25, -1, 1, 2, 4), lb = param(26, -1, 1, 2);
        check("composite", v -> {
            Var h = Conv2d.apply(v.get(0), v.get(1), 1, 1);
            h = Relu.apply(BatchNorm.train(h, v.get(3), v.get(4), rm.clone(), rv.clone(), 0.1f, 1e-5f));
            h = MaxPool2d.apply(h, 2, 2);
            h = GlobalAvgPool.apply(Conv2d.apply(h, v.get(2), 2, 1));
            return Linear.apply(h, v.get(5), v.get(6));
        }, List.of(x, w1, w2, g, b, lw, lb), 2e-3f, 3e-3f, 5e-2f);
    }

    @Test void cnnShapeMistakes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Conv2d.apply(param(1, 0, 1, 1, 2, 5, 5), param(1, 0, 1, 3, 3, 3, 3), 1, 1));
        assertTrue(e.getMessage().contains("(1, 2, 5, 5)") && e.getMessage().contains("(3, 3, 3, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MaxPool2d.apply(param(1, 0, 1, 1, 1, 1, 1), 2, 2));
    }
}
