package dev.tauon.metrics;

// Alignment (Wang & Isola, α = 2), docs/paper.md §3: E‖f(x) − f(y)‖² over positive pairs (rows of x, y).
public final class Alignment {
    private Alignment() {}

    // x, y: (n,d) -> mean_i ‖x_i − y_i‖²  (double, in row order)
    public static double of(float[] x, float[] y, int n, int d) {
        Blocks.checkRows("alignment", "x", x, n, d);
        Blocks.checkRows("alignment", "y", y, n, d);
        double total = 0;
        for (int i = 0; i < n * d; i++) {
            double e = (double) x[i] - y[i];
            total += e * e;
        }
        return total / n;
    }
}
