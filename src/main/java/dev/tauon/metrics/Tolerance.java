package dev.tauon.metrics;

// Tolerance, docs/paper.md §3: per anchor, the mean similarity to the bank entries of its own class
// (itself excluded when the anchor is a bank entry); then the mean over anchors. Anchors without
// another member of their class are left out of the mean.
public final class Tolerance {
    private Tolerance() {}

    // anchors: (na,d), bank: (nb,d), labels; self: (na) bank index of each anchor or −1 (null: none) -> tolerance
    public static double of(float[] anchors, int na, int[] anchorLabels, int[] self, float[] bank, int nb, int[] bankLabels, int d) {
        Blocks.checkRows("tolerance", "anchors", anchors, na, d);
        Blocks.checkRows("tolerance", "bank", bank, nb, d);
        if (anchorLabels.length != na || bankLabels.length != nb || (self != null && self.length != na)) {
            throw new IllegalArgumentException("tolerance: " + anchorLabels.length + " anchor labels for " + na + " anchors, " + bankLabels.length + " bank labels for " + nb);
        }
        double[] mean = new double[na];
        Blocks.similarities(anchors, na, bank, nb, d, (s, off, i) -> {
            double sum = 0;
            int count = 0, me = self == null ? -1 : self[i];
            for (int j = 0; j < nb; j++) {
                if (bankLabels[j] == anchorLabels[i] && j != me) { sum += s[off + j]; count++; }
            }
            mean[i] = count == 0 ? Double.NaN : sum / count;
        });
        double total = 0;
        int used = 0;
        for (double m : mean) if (!Double.isNaN(m)) { total += m; used++; }
        if (used == 0) throw new IllegalArgumentException("tolerance: no anchor has another bank entry of its class");
        return total / used;
    }
}
