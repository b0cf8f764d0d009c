package dev.tauon.autograd;

// Anomaly detection (`tauon pretrain --detect-anomaly`): while on, every op's output is checked
// as Var records it and every gradient an op's backward pushes into its inputs is checked right
// after; the first NaN or Inf throws Detected naming the op, its shapes and the element. Read-only,
// so results stay bit-identical; off, it costs one static boolean read per op.
public final class Anomaly {
    private static boolean on;

    // The first non-finite value, where it appeared.
    public static final class Detected extends ArithmeticException {
        public Detected(String message) { super(message); }
    }

    private Anomaly() {}

    public static void start() { on = true; }

    public static void stop() { on = false; }

    public static boolean enabled() { return on; }

    // The index of the first NaN or ±Inf in a, or -1.
    public static int firstNonFinite(float[] a) {
        for (int i = 0; i < a.length; i++) if (!Float.isFinite(a[i])) return i;
        return -1;
    }

    // An op's output, as Var.result records it.
    static void forward(String op, float[] out, Var[] inputs, String shapes) {
        int i = firstNonFinite(out);
        if (i < 0) return;
        String cause = " from finite inputs";
        for (int k = 0; k < inputs.length; k++) {
            if (firstNonFinite(inputs[k].data()) >= 0) {
                cause = ", but its input " + k + " (" + inputs[k].op() + " " + inputs[k].shape() + ") was already non-finite";
                break;
            }
        }
        throw new Detected("forward of " + op + " " + shapes + " gave " + out[i] + " at element " + i + cause);
    }

    // After op v's backward: the gradients it pushed into its inputs.
    static void backward(Var v, Var[] inputs, String shapes) {
        for (int k = 0; k < inputs.length; k++) {
            if (!inputs[k].hasGrad()) continue;
            float[] g = inputs[k].grad().data();
            int i = firstNonFinite(g);
            if (i >= 0) {
                String upstream = v.grad() != null && firstNonFinite(v.grad().data()) >= 0 ? ", from a non-finite upstream gradient" : " from a finite upstream gradient";
                throw new Detected("backward of " + v.op() + " " + shapes + " gave " + g[i] + " at element " + i + " of the gradient for its input " + k
                        + " (" + inputs[k].op() + " " + inputs[k].shape() + ")" + upstream);
            }
        }
    }
}
