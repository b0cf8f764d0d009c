package dev.tauon.experiment.report;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.tauon.experiment.report.Figure.Box;
import dev.tauon.experiment.report.Figure.Panel;
import dev.tauon.experiment.report.Figure.Series;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

// Draws Figures with XChart: PNG through a BufferedImage, SVG through VectorGraphics2D; both
// paint the same Graphics2D calls. Box panels are XY charts of outline paths (NaN breaks a path),
// so the whiskers reach the min and max given, not XChart's 1.5·IQR.
public final class Plots {
    private static final Map<String, Color> LOSS_COLOURS = Map.of(
            "infonce", new Color(0x1f77b4), "simple", new Color(0x2ca02c), "hard", new Color(0xd62728),
            "hardsimple", new Color(0xff7f0e), "dcl", new Color(0x9467bd), "dclw", new Color(0x8c564b));
    // Tableau's 20 colours, light and dark pairs apart: the palette for runs without a loss colour.
    private static final Color[] PALETTE = java.util.stream.IntStream.of(0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
            0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94,
            0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5).mapToObj(Color::new).toArray(Color[]::new);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15), AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 13),
            TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12), LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private static final int LABEL_ROOM = 22;   // pixels under a box panel's plot for the rank names

    private Plots() {}

    // Writes FILE.png and FILE.svg for each figure into dir; returns the paths written.
    public static List<Path> write(List<Figure> figures, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Figure f : figures) {
            Path png = dir.resolve(f.file() + ".png"), svg = dir.resolve(f.file() + ".svg");
            ImageIO.write(png(f), "png", png.toFile());
            try (OutputStream os = Files.newOutputStream(svg)) {
                svg(f, os);
            }
            out.add(png);
            out.add(svg);
        }
        return out;
    }

    public static BufferedImage png(Figure f) {
        BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        paint(f, g);
        g.dispose();
        return img;
    }

    static byte[] pngBytes(Figure f) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(png(f), "png", bytes);
        return bytes.toByteArray();
    }

    public static void svg(Figure f, OutputStream os) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        paint(f, g);
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, f.width(), f.height())).writeTo(os);
    }

    static void paint(Figure f, Graphics2D g) {
        switch (f) {
            case Figure.Xy xy -> xyChart(xy).paint(g, xy.width(), xy.height());
            case Figure.Boxes b -> paintBoxes(b, g);
        }
    }

    static XYChart xyChart(Figure.Xy f) {
        XYChart chart = new XYChartBuilder().width(f.width()).height(f.height()).title(f.title())
                .xAxisTitle(f.xLabel()).yAxisTitle(f.yLabel()).build();
        XYStyler st = style(chart.getStyler());
        st.setYAxisLogarithmic(f.logY());
        if (!Double.isNaN(f.yMin())) st.setYAxisMin(f.yMin());
        if (!Double.isNaN(f.yMax())) st.setYAxisMax(f.yMax());
        if (f.xLabel().equals("epoch")) st.setXAxisDecimalPattern("0");   // whole epochs (XChart widens the step until labels differ)
        else st.setXAxisDecimalPattern("0.0#");
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setErrorBarsColorSeriesColor(true);
        Set<String> names = new HashSet<>();
        for (Series s : f.series()) {
            String name = s.name();
            for (int i = 2; !names.add(name); i++) name = s.name() + " (" + i + ")";   // XChart refuses repeated names
            XYSeries xs = chart.addSeries(name, s.x(), s.y(), s.err());
            xs.setXYSeriesRenderStyle(s.marks() ? XYSeries.XYSeriesRenderStyle.Scatter : XYSeries.XYSeriesRenderStyle.Line);
            xs.setMarker(s.marks() ? SeriesMarkers.CROSS : s.reference() ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);   // no markers: no τ
            xs.setLineStyle(s.dashed() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
            Color c = s.colour() == null ? null : LOSS_COLOURS.get(s.colour());
            if (c != null) {
                xs.setLineColor(c);
                xs.setMarkerColor(c);
            }
        }
        return chart;
    }

    private static <S extends org.knowm.xchart.style.AxesChartStyler> S style(S st) {
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(Color.GRAY);
        st.setPlotGridLinesColor(new Color(0xe0e0e0));
        st.setChartTitleFont(TITLE);
        st.setAxisTitleFont(AXIS);
        st.setAxisTickLabelsFont(TICKS);
        st.setLegendFont(LEGEND);
        st.setLegendBorderColor(Color.LIGHT_GRAY);
        st.setMarkerSize(6);
        st.setChartTitleBoxVisible(false);
        st.setSeriesColors(PALETTE);
        st.setPlotGridLinesStroke(new BasicStroke(0.6f));
        return st;
    }

    // Two panels a row under a figure title; every panel on the same y range.
    private static void paintBoxes(Figure.Boxes f, Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, f.width(), f.height());
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(f.title(), Math.max(4, (f.width() - fm.stringWidth(f.title())) / 2), 26);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Panel p : f.panels()) for (Box b : p.boxes()) { lo = Math.min(lo, b.min()); hi = Math.max(hi, b.max()); }
        double pad = Math.max(0.02, 0.05 * (hi - lo));
        int cols = f.panels().size() == 1 ? 1 : 2;
        int w = f.width() / cols, h = Charts.PANEL_HEIGHT;
        for (int i = 0; i < f.panels().size(); i++) {
            int x = (i % cols) * w, y = 40 + (i / cols) * h;
            XYChart chart = boxChart(f.panels().get(i), f.yLabel(), w, h, lo - pad, hi + pad);
            g.translate(x, y);
            chart.paint(g, w, h);
            g.setFont(TICKS);
            g.setColor(Color.BLACK);
            FontMetrics tm = g.getFontMetrics();
            List<Box> boxes = f.panels().get(i).boxes();
            for (int j = 0; j < boxes.size(); j++) {
                String name = boxes.get(j).name();
                double sx = chart.getScreenXFromChart(j), sy = chart.getScreenYFromChart(lo - pad);
                g.drawString(name, (float) (sx - tm.stringWidth(name) / 2.0), (float) (sy + tm.getAscent() + 3));
            }
            g.translate(-x, -y);
        }
        g.setStroke(new BasicStroke(1));
    }

    static XYChart boxChart(Panel p, String yLabel, int w, int h, double yMin, double yMax) {
        XYChart chart = new XYChartBuilder().width(w).height(h).title(p.title()).xAxisTitle("rank: positive, then the n-th nearest negative").yAxisTitle(yLabel).build();
        XYStyler st = style(chart.getStyler());
        st.setLegendVisible(false);
        st.setXAxisMin(-0.6);
        st.setXAxisMax(p.boxes().size() - 0.4);
        st.setYAxisMin(yMin);
        st.setYAxisMax(yMax);
        // No x ticks: paintBoxes writes pos, n1 … under the boxes itself (XChart's tick labels come
        // from a formatter, and it loops forever on labels that repeat, such as blanks between boxes).
        st.setXAxisTicksVisible(false);
        st.setAxisTitlePadding(LABEL_ROOM);
        st.setPlotGridVerticalLinesVisible(false);
        List<Box> pos = p.boxes().stream().filter(b -> b.name().equals("pos")).toList();
        List<Box> neg = p.boxes().stream().filter(b -> !b.name().equals("pos")).toList();
        outline(chart, "positive", pos, p.boxes(), new Color(0x2ca02c));
        outline(chart, "negatives", neg, p.boxes(), new Color(0x1f77b4));
        return chart;
    }

    // The boxes as one path series: box outline, median, whiskers and caps, NaN between pieces.
    private static void outline(XYChart chart, String name, List<Box> boxes, List<Box> all, Color c) {
        if (boxes.isEmpty()) return;
        List<double[]> pts = new ArrayList<>();
        for (Box b : boxes) {
            double x = all.indexOf(b), half = 0.3, cap = 0.15;
            piece(pts, x - half, b.q1(), x + half, b.q1(), x + half, b.q3(), x - half, b.q3(), x - half, b.q1());
            piece(pts, x - half, b.median(), x + half, b.median());
            piece(pts, x, b.q1(), x, b.min());
            piece(pts, x - cap, b.min(), x + cap, b.min());
            piece(pts, x, b.q3(), x, b.max());
            piece(pts, x - cap, b.max(), x + cap, b.max());
        }
        XYSeries s = chart.addSeries(name, pts.stream().mapToDouble(q -> q[0]).toArray(), pts.stream().mapToDouble(q -> q[1]).toArray());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(c);
        s.setLineStyle(new BasicStroke(1.6f));
    }

    private static void piece(List<double[]> pts, double... xy) {
        for (int i = 0; i < xy.length; i += 2) pts.add(new double[] {xy[i], xy[i + 1]});
        pts.add(new double[] {xy[0], Double.NaN});
    }
}
