package dev.tauon.autograd;

import dev.tauon.tensor.Shape;
import dev.tauon.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

// A value in the define-by-run graph: a tensor, its gradient (allocated on first use), the
// inputs it was computed from and the step that pushes its gradient back into theirs.
// backward() is a topological sort followed by a reversed walk; gradients always accumulate.
public final class Var {
    // Pushes out.grad into the inputs' gradients (accumulating). One per op application.
    @FunctionalInterface
    public interface Backward { void apply(Var out); }

    // Which values an op's backward reads besides gradients. Inside a Workspace step, backward()
    // recycles a value once no pending backward reads it (see Lifetimes); BOTH keeps everything.
    public enum Saves {
        NOTHING, INPUTS, OUTPUT, BOTH;
        boolean inputs() { return this == INPUTS || this == BOTH; }
        boolean output() { return this == OUTPUT || this == BOTH; }
    }

    private final String op;
    private final Tensor value;
    private final Var[] inputs;
    private final Backward backward;
    private final boolean requiresGrad;
    final Saves saves;
    boolean pinned;               // detached or viewed elsewhere: its value is never recycled
    private Tensor grad;
    private Workspace gradFrom;   // the step workspace that lent the gradient buffer, if any

    private Var(String op, Tensor value, Var[] inputs, Backward backward, boolean requiresGrad, Saves saves) {
        this.saves = saves;
        this.op = op;
        this.value = value;
        this.inputs = inputs;
        this.backward = backward;
        this.requiresGrad = requiresGrad;
    }

    // A leaf that collects a gradient (a parameter, or an input we differentiate by).
    public static Var param(Tensor value) { return new Var("param", value, new Var[0], null, true, Saves.BOTH); }

    // A leaf without gradient (data, labels, the memory bank).
    public static Var constant(Tensor value) { return new Var("constant", value, new Var[0], null, false, Saves.BOTH); }

    // The result of op `op`. Records the graph only when grad mode is on and an input needs it.
    public static Var result(String op, Tensor value, Backward backward, Var... inputs) {
        return result(op, value, Saves.BOTH, backward, inputs);
    }

    // The same, for an op whose backward reads only the values `saves` names.
    public static Var result(String op, Tensor value, Saves saves, Backward backward, Var... inputs) {
        if (Profiler.enabled()) Profiler.forward(profileKey(op, value, inputs));
        if (Anomaly.enabled()) Anomaly.forward(op, value.data(), inputs, shapes(value, inputs));
        boolean needs = false;
        if (Grad.enabled()) for (Var in : inputs) needs |= in.requiresGrad;
        return needs ? new Var(op, value, inputs, backward, true, saves) : new Var(op, value, new Var[0], null, false, Saves.BOTH);
    }

    public String op() { return op; }

    private static String profileKey(String op, Tensor value, Var[] inputs) {
        return op + " " + shapes(value, inputs);
    }

    private static String shapes(Tensor value, Var[] inputs) {
        return (inputs.length > 0 ? inputs[0].shape() + "->" : "") + value.shape();
    }

    public Tensor value() { return value; }
    Var[] inputs() { return inputs; }
    boolean isNode() { return backward != null; }
    public float[] data() { return value.data(); }
    public Shape shape() { return value.shape(); }
    public int dim(int axis) { return value.dim(axis); }
    public int size() { return value.size(); }
    public boolean requiresGrad() { return requiresGrad; }

    // The gradient, or null if none has been accumulated yet.
    public Tensor grad() { return grad; }

    // The gradient buffer, allocated (zeroed) on first use; ops accumulate into it. Leaves
    // (parameters) own theirs across steps; intermediate gradients come from the Workspace and,
    // inside a step, go back to it once this node's backward has run (grad() is null then).
    public float[] gradData() { return gradData(true); }

    // For a backward that writes every element of this gradient: if no contribution has
    // arrived yet (hasGrad() false), gradData(false) lends the buffer without zeroing it and
    // the caller must assign all of it, as if adding to zeros; otherwise it adds as usual.
    public float[] gradData(boolean zeroed) {
        if (grad == null) {
            int n = value.size();
            if (backward == null) {
                grad = new Tensor(value.shape(), new float[n]);
            } else {
                grad = new Tensor(value.shape(), zeroed ? Workspace.zeros(n) : Workspace.floats(n));
                gradFrom = Workspace.active();
            }
        }
        return grad.data();
    }

    // Whether a gradient buffer is held (some contribution arrived, or a leaf kept its own).
    public boolean hasGrad() { return grad != null; }

    // Every consumer has pushed into this gradient and this node has pushed it on: it is dead.
    private void releaseGrad() {
        if (gradFrom == null || gradFrom != Workspace.active()) return;
        Workspace.release(grad.data());
        grad = null;
        gradFrom = null;
    }

    public void zeroGrad() { if (grad != null) grad.fill(0f); }

    // Drops the gradient buffer (parameters keep theirs across steps and use zeroGrad instead).
    public void clearGrad() { grad = null; }

    // The same value, cut from the graph.
    public Var detach() {
        pinned = true;
        return constant(value);
    }

    // Backpropagates from this scalar: d(this)/d(this) = 1.
    public void backward() {
        if (value.size() != 1) throw new IllegalStateException("backward() needs a scalar, got shape " + shape());
        if (!requiresGrad) throw new IllegalStateException("backward() on a value that does not depend on any parameter");
        gradData()[0] += 1f;
        List<Var> order = topologicalOrder();
        Lifetimes life = Workspace.active() == null ? null : new Lifetimes(order, this);
        for (int i = order.size() - 1; i >= 0; i--) {
            Var v = order.get(i);
            if (v.backward == null || v.grad == null) continue;
            if (Profiler.enabled()) {
                long t0 = System.nanoTime();
                v.backward.apply(v);
                Profiler.backward(profileKey(v.op, v.value, v.inputs), System.nanoTime() - t0);
            } else {
                v.backward.apply(v);
            }
            if (Anomaly.enabled()) Anomaly.backward(v, v.inputs, shapes(v.value, v.inputs));
            v.releaseGrad();
            if (life != null) life.ran(v);
        }
    }

    // Inputs before outputs; iterative so deep graphs cannot overflow the stack.
    private List<Var> topologicalOrder() {
        List<Var> order = new ArrayList<>();
        IdentityHashMap<Var, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, 0});
        seen.put(this, true);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Var v = (Var) top[0];
            int next = (Integer) top[1];
            if (next < v.inputs.length) {
                top[1] = next + 1;
                Var in = v.inputs[next];
                if (in.requiresGrad && seen.put(in, true) == null) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    @Override public String toString() { return op + shape() + (requiresGrad ? " (grad)" : ""); }
}
