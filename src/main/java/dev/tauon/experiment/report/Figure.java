package dev.tauon.experiment.report;

import java.util.List;

// A plot as data: what Charts builds from the runs and Plots draws. Tests read the series (names,
// x, y) here without pixels. file is the name without extension (PNG and SVG are written).
public sealed interface Figure permits Figure.Xy, Figure.Boxes {
    String file();
    String title();
    int width();
    int height();

    // A line: err (± bars) may be null; a reference is a horizontal line without markers (a
    // τ-free loss on a τ axis); colour is a loss name (one colour per loss) or null (palette).
    // marks: crosses, not joined (the collapsed runs, apart from their loss's line).
    record Series(String name, double[] x, double[] y, double[] err, boolean dashed, boolean reference, String colour, boolean marks) {
        Series(String name, double[] x, double[] y, double[] err, boolean dashed, boolean reference, String colour) {
            this(name, x, y, err, dashed, reference, colour, false);
        }
    }

    // yMin, yMax: the y axis's range, or NaN to fit it to the data.
    record Xy(String file, String title, String xLabel, String yLabel, boolean logY, List<Series> series, int width, int height,
              double yMin, double yMax) implements Figure {
        Xy(String file, String title, String xLabel, String yLabel, boolean logY, List<Series> series, int width, int height) {
            this(file, title, xLabel, yLabel, logY, series, width, height, Double.NaN, Double.NaN);
        }
    }

    // A five-number box (min, quartiles, max), drawn with whiskers at min and max.
    record Box(String name, double min, double q1, double median, double q3, double max) {}

    record Panel(String title, List<Box> boxes) {}

    // A grid of box panels sharing one y axis.
    record Boxes(String file, String title, String yLabel, List<Panel> panels, int width, int height) implements Figure {}
}
