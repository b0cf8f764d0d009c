package dev.tauon.ops;

import dev.tauon.autograd.Var;

// Shape checks at the op layer, once per op, with the shapes in the message.
final class Check {
    private Check() {}

    static void sameShape(String op, Var a, Var b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: " + a.shape() + " vs " + b.shape());
        }
    }

    static void rank(String op, Var x, int rank) {
        if (x.shape().rank() != rank) {
            throw new IllegalArgumentException(op + ": expected a rank-" + rank + " input, got shape " + x.shape());
        }
    }

    static void that(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
