package dev.tauon.cli;

// Range checks for numeric flags: each failure names the flag, the allowed range and the value
// given, as one UserError line.
final class Flags {
    private Flags() {}

    static int range(String flag, int value, long lo, long hi) {
        if (value < lo || value > hi) throw new UserError(flag + " must be in " + lo + ".." + hi + ", got " + value);
        return value;
    }

    // value in (0, max]: positive and finite (NaN and Infinity fail)
    static double positive(String flag, double value, double max) {
        if (!(value > 0 && value <= max)) throw new UserError(flag + " must be positive and at most " + max + ", got " + value);
        return value;
    }

    // value in [0, max]
    static double nonNegative(String flag, double value, double max) {
        if (!(value >= 0 && value <= max)) throw new UserError(flag + " must be in 0.." + max + ", got " + value);
        return value;
    }
}
