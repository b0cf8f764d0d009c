package dev.tauon.nn;

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelsTest {
    static int count(List<Parameter> ps) { return ps.stream().mapToInt(p -> p.value().size()).sum(); }

    static Var input(int n, int c, int size) {
        Tensor x = Tensor.zeros(n, c, size, size);
        Rng.seeded(1).fillNormal(x.data(), 0, x.size(), 0, 1);
        return Var.constant(x);
    }

    @Test void smallConvNetHasTheReferenceArchitecture() {
        Sequential net = SmallConvNet.create(1, Rng.seeded(0));
        // convs 288 + 9216 + 18432 + 36864 + 73728, batch-norm γ and β 2·(32+32+64+64+128): as PyTorch counts it
        assertEquals(138_528 + 640, count(net.parameters()));
        assertEquals(2 * 320, count(net.buffers()));
        try (var off = Grad.off()) {
            assertEquals(List.of(3, SmallConvNet.FEATURES), List.of(net.forward(input(3, 1, 28)).shape().dims()[0], net.forward(input(3, 1, 28)).dim(1)));
            assertEquals(SmallConvNet.FEATURES, SmallConvNet.create(3, Rng.seeded(0)).forward(input(2, 3, 32)).dim(1));
        }
        // names are unique and stable
        List<String> names = net.parameters().stream().map(Parameter::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size());
        assertEquals("0.weight", names.get(0));
        assertEquals(names, SmallConvNet.create(1, Rng.seeded(5)).parameters().stream().map(Parameter::name).toList());
    }

    @Test void resNet18CifarVariant() {
        Sequential net = ResNet18.create(3, Rng.seeded(0));
        assertEquals(11_168_832, count(net.parameters()));   // torchvision-style CIFAR ResNet-18 without its fc layer
        try (var off = Grad.off()) {
            Var y = net.forward(input(2, 3, 32));
            assertEquals(2, y.dim(0));
            assertEquals(ResNet18.FEATURES, y.dim(1));
        }
    }

    @Test void initialisationIsAFunctionOfTheSeed() {
        float[] a = SmallConvNet.create(1, Rng.seeded(7)).parameters().get(0).data();
        float[] b = SmallConvNet.create(1, Rng.seeded(7)).parameters().get(0).data();
        float[] c = SmallConvNet.create(1, Rng.seeded(8)).parameters().get(0).data();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        // Kaiming normal: std √(2 / fan-in) for the 32·32·9 weights of the second conv
        float[] w = SmallConvNet.create(1, Rng.seeded(7)).parameters().stream().filter(p -> p.name().equals("3.weight")).findFirst().orElseThrow().data();
        assertEquals(32 * 32 * 9, w.length);
        double s2 = 0;
        for (float v : w) s2 += v * v;
        assertEquals(Math.sqrt(2.0 / 288), Math.sqrt(s2 / w.length), 0.02 * Math.sqrt(2.0 / 288));
    }

    @Test void trainAndEvalModesDifferOnlyThroughBatchNorm() {
        Sequential net = SmallConvNet.create(1, Rng.seeded(0));
        Var x = input(4, 1, 28);
        try (var off = Grad.off()) {
            float[] train = net.forward(x).data().clone();
            net.setTraining(false);
            float[] eval = net.forward(x).data().clone();
            assertFalse(java.util.Arrays.equals(train, eval));
            assertArrayEquals(eval, net.forward(x).data(), "eval mode must not touch running statistics");
        }
    }
}
