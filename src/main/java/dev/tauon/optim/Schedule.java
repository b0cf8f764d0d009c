package dev.tauon.optim;

import java.util.Arrays;

// Learning-rate schedules as pure functions of progress: lr(epoch) with a fractional epoch, so
// they work per step (epoch + step / stepsPerEpoch) or per epoch alike.
public sealed interface Schedule {
    double lr(double epoch);

    // base·γ^(number of milestones passed): the paper's ×0.1 at 160 and 190, the probe's ×0.2 at 40/60/80.
    record MultiStep(double base, double gamma, int... milestones) implements Schedule {
        public MultiStep { milestones = milestones.clone(); Arrays.sort(milestones); }
        @Override public double lr(double epoch) {
            int passed = 0;
            for (int m : milestones) if (epoch >= m) passed++;
            return base * StrictMath.pow(gamma, passed);
        }
    }

    // base·γ^⌊epoch / every⌋
    record Step(double base, double gamma, int every) implements Schedule {
        @Override public double lr(double epoch) { return base * StrictMath.pow(gamma, StrictMath.floor(epoch / every)); }
    }

    // Linear warm-up from 0 over `warmup` epochs, then cosine decay to `min` at `total`.
    record CosineWarmup(double base, double min, double warmup, double total) implements Schedule {
        @Override public double lr(double epoch) {
            if (epoch < warmup) return base * epoch / warmup;
            double t = Math.min(1.0, (epoch - warmup) / Math.max(1e-12, total - warmup));
            return min + 0.5 * (base - min) * (1 + StrictMath.cos(Math.PI * t));
        }
    }

    record Constant(double base) implements Schedule {
        @Override public double lr(double epoch) { return base; }
    }
}
