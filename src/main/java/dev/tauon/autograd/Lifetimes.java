package dev.tauon.autograd;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

// Recycles activation values during one backward pass inside a Workspace step. Each node's
// value is counted once for its own backward (if its op Saves.OUTPUT) and once per consumer
// whose op Saves.INPUTS; a value with no pending reader goes back to the Workspace (at the start
// for values only the forward pass needed, e.g. batch norm's output under a ReLU). Never
// recycled: the root, leaves, pinned (detached) values and arrays two nodes share (views).
final class Lifetimes {
    private final Map<Var, Integer> readers = new IdentityHashMap<>();
    private final Map<float[], Integer> owners = new IdentityHashMap<>();
    private final Var root;

    Lifetimes(List<Var> order, Var root) {
        this.root = root;
        for (Var v : order) {
            owners.merge(v.data(), 1, Integer::sum);
            readers.putIfAbsent(v, 0);
            if (v.saves.output()) readers.merge(v, 1, Integer::sum);
            if (v.saves.inputs()) for (Var in : v.inputs()) readers.merge(in, 1, Integer::sum);
        }
        for (Var v : order) if (readers.get(v) == 0) release(v);
    }

    // v's backward has run: the values it read have one reader fewer.
    void ran(Var v) {
        if (v.saves.output()) done(v);
        if (v.saves.inputs()) for (Var in : v.inputs()) done(in);
    }

    private void done(Var v) {
        Integer left = readers.get(v);
        if (left == null) return;                       // not a node of this graph
        readers.put(v, left - 1);
        if (left == 1) release(v);
    }

    private void release(Var v) {
        if (v == root || !v.isNode() || v.pinned || owners.get(v.data()) != 1) return;
        Workspace.release(v.data());
    }
}
