package dev.tauon.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorTest {
    @Test void shapeBasics() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(24, s.size());
        assertEquals(3, s.rank());
        assertEquals(4, s.dim(-1));
        assertEquals(12, s.stride(0));
        assertEquals(1, s.stride(2));
        assertEquals(Shape.of(2, 3, 4), s);
        assertEquals("(2, 3, 4)", s.toString());
        assertEquals(1, Shape.of().size());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
    }

    @Test void rowMajorIndexing() {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertEquals(5f, t.get(1, 2));
        assertEquals(3f, t.get(1, 0));
        t.set(9f, 0, 1);
        assertEquals(9f, t.data()[1]);
        Tensor r = t.reshape(3, 2);
        assertSame(t.data(), r.data());
        assertEquals(2f, r.get(1, 0));
    }

    @Test void badShapesNameTheShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("5"), e.getMessage());
        var r = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertTrue(r.getMessage().contains("(2, 3)") && r.getMessage().contains("(4, 2)"), r.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).get(2, 0));
    }
}
