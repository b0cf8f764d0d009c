package dev.tauon.tensor;

import java.util.Arrays;

// A shape over one contiguous row-major float[]. Deliberately small: arithmetic lives in
// kernel/ (flat arrays) and ops/ (differentiable); a Tensor only owns and describes storage.
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    public Tensor(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " values, got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor zeros(int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, new float[s.size()]);
    }

    public static Tensor of(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), data);
    }

    public Shape shape() { return shape; }
    public float[] data() { return data; }
    public int size() { return data.length; }
    public int rank() { return shape.rank(); }
    public int dim(int axis) { return shape.dim(axis); }

    public float get(int... idx) { return data[offset(idx)]; }
    public void set(float v, int... idx) { data[offset(idx)] = v; }

    // Same storage seen with another shape of the same size.
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.size() != data.length) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + s + ": sizes differ");
        }
        return new Tensor(s, data);
    }

    public Tensor copy() { return new Tensor(shape, data.clone()); }

    public void fill(float v) { Arrays.fill(data, v); }

    private int offset(int[] idx) {
        if (idx.length != shape.rank()) {
            throw new IllegalArgumentException("index of rank " + idx.length + " into shape " + shape);
        }
        int off = 0;
        for (int i = 0; i < idx.length; i++) {
            int d = shape.dim(i);
            if (idx[i] < 0 || idx[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of shape " + shape);
            }
            off = off * d + idx[i];
        }
        return off;
    }

    @Override public String toString() {
        int show = Math.min(data.length, 8);
        StringBuilder b = new StringBuilder("Tensor").append(shape).append(" [");
        for (int i = 0; i < show; i++) b.append(i > 0 ? ", " : "").append(data[i]);
        return b.append(data.length > show ? ", ...]" : "]").toString();
    }
}
