package dev.tauon.loss;

import java.util.Arrays;

// What each row of a similarity matrix s: (A,C) means: the column of the anchor's positive and
// the column that is the anchor itself (−1: none). Memory bank: pos = the image's bank entry, no
// self. SimCLR (2N views [z1; z2]): pos of view i is its partner (i+N) mod 2N, self is i.
public record Pairs(int[] pos, int[] self) {
    public static final int NONE = -1;

    public Pairs {
        if (pos.length != self.length) throw new IllegalArgumentException("pairs: " + pos.length + " positives but " + self.length + " self columns");
    }

    // Memory-bank rows: anchor r's positive is bank entry indices[r].
    public static Pairs bank(int[] indices) {
        int[] none = new int[indices.length];
        Arrays.fill(none, NONE);
        return new Pairs(indices.clone(), none);
    }

    // In-batch rows over 2n views: positive (i+n) mod 2n, self i.
    public static Pairs simclr(int n) {
        int[] pos = new int[2 * n], self = new int[2 * n];
        for (int i = 0; i < 2 * n; i++) { pos[i] = (i + n) % (2 * n); self[i] = i; }
        return new Pairs(pos, self);
    }

    public int rows() { return pos.length; }

    // Negatives per row for a similarity matrix with `cols` columns.
    public int negatives(int row, int cols) { return cols - 1 - (self[row] == NONE ? 0 : 1); }

    void check(String loss, int rows, int cols) {
        if (rows != pos.length) throw new IllegalArgumentException(loss + ": similarity has " + rows + " rows but pairs describe " + pos.length);
        for (int i = 0; i < rows; i++) {
            if (pos[i] < 0 || pos[i] >= cols) throw new IllegalArgumentException(loss + ": positive column " + pos[i] + " of row " + i + " is outside [0, " + cols + ")");
            if (self[i] < NONE || self[i] >= cols || self[i] == pos[i]) throw new IllegalArgumentException(loss + ": self column " + self[i] + " of row " + i + " is invalid (positive " + pos[i] + ", " + cols + " columns)");
        }
    }
}
