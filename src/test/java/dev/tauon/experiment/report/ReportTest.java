package dev.tauon.experiment.report;

import dev.tauon.data.DataException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

// The whole report of a paper-like sweep of 15 fake runs (plus one unfinished): every file
// written, PNGs that decode at their size, SVGs that parse, an HTML page that stands alone, and
// results that are the same bytes on a second run. -Dreport.keep=DIR writes the sweep and its
// report (DIR/report) there too, to look at.
@Timeout(300)
class ReportTest {
    @TempDir static Path tmp;
    static Path sweep, out;
    static Report.Summary summary;

    static final List<String> PLOTS = List.of("accuracy_vs_tau", "uniformity_vs_tau", "tolerance_vs_tau", "similarity_ranks",
            "hardness_profile", "hardness_entropy_vs_tau", "training_loss", "training_knn");

    @BeforeAll static void write() throws Exception {
        sweep = FakeRuns.sweep(tmp.resolve("sweep"), FakeRuns.paperLike());
        FakeRuns.write(sweep.resolve("runs"), FakeRuns.run("zz-running", "infonce", 2.0, 0, 0.5, 0.5, 2, 0.5), false);
        Files.writeString(sweep.resolve("commands.txt"), "tauon sweep --grid paper.yaml --out sweep\n");
        out = tmp.resolve("out");
        summary = Report.write(sweep, out);
        String keep = System.getProperty("report.keep");
        if (keep != null) {   // the fake sweep and its report, to look at or feed the jar
            Path copy = FakeRuns.sweep(Path.of(keep), FakeRuns.paperLike());
            FakeRuns.write(copy.resolve("runs"), FakeRuns.run("zz-running", "infonce", 2.0, 0, 0.5, 0.5, 2, 0.5), false);
            Report.write(copy, copy.resolve("report"));
        }
    }

    @Test void everyFileWritten() throws Exception {
        Set<String> expected = new TreeSet<>(List.of("results.csv", "results.json", "baselines.csv", "report.md", "report.html"));
        for (String p : PLOTS) { expected.add("plots/" + p + ".png"); expected.add("plots/" + p + ".svg"); }
        Set<String> written = new TreeSet<>();
        try (Stream<Path> s = Files.walk(out)) {
            s.filter(Files::isRegularFile).forEach(f -> written.add(out.relativize(f).toString().replace('\\', '/')));
        }
        assertEquals(expected, written);
        assertEquals(expected, new TreeSet<>(summary.files().stream().map(f -> out.relativize(f).toString().replace('\\', '/')).toList()));
        for (String f : expected) assertTrue(Files.size(out.resolve(f)) > 0, f);
        assertEquals(15, summary.runs());
        assertEquals(1, summary.unfinished().size());
        assertEquals(10, summary.verdicts().size());
        assertTrue(summary.verdicts().values().stream().allMatch("holds"::equals), summary.verdicts().toString());
    }

    @Test void pngsDecodeAtTheirSize() throws Exception {
        for (String p : PLOTS) {
            BufferedImage img = ImageIO.read(out.resolve("plots/" + p + ".png").toFile());
            assertNotNull(img, p);
            assertEquals(800, img.getWidth(), p);
            assertEquals(p.equals("similarity_ranks") ? 40 + 3 * Charts.PANEL_HEIGHT : 500, img.getHeight(), p);
            assertTrue(colours(img) > 8, p + " is nearly blank");
        }
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) seen.add(img.getRGB(x, y));
        return seen.size();
    }

    @Test void svgsParseAsXml() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        for (String p : PLOTS) {
            Document d = f.newDocumentBuilder().parse(out.resolve("plots/" + p + ".svg").toFile());
            assertEquals("svg", d.getDocumentElement().getTagName(), p);
            assertTrue(d.getElementsByTagName("path").getLength() > 10, p);
        }
    }

    @Test void htmlStandsAlone() throws Exception {
        String html = Files.readString(out.resolve("report.html"));
        Matcher img = Pattern.compile("<img [^>]*src=\"([^\"]{0,40})").matcher(html);
        List<String> srcs = new ArrayList<>();
        while (img.find()) srcs.add(img.group(1));
        assertEquals(PLOTS.size(), srcs.size());
        for (String s : srcs) assertTrue(s.startsWith("data:image/png;base64,"), s);
        assertEquals(10, html.split("<span class=\"v holds\">holds</span>", -1).length - 1);
        assertTrue(html.contains("<th>InfoNCE 0.05</th>"));
        assertTrue(html.contains("<td>80.20 ± 0.28</td>"));
        assertTrue(html.contains("runs/zz-running"));
        assertFalse(html.contains("<link") || html.contains("<script"), "nothing fetched from elsewhere");
    }

    @Test void markdownHasTheTableFindingsPlotsAndProvenance() throws Exception {
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Table 1: fashion-mnist, bank setting, 4 epochs"));
        assertTrue(md.contains("| linear acc. (%)      |  80.20 ± 0.28 |"), md);
        assertTrue(md.contains("**2. InfoNCE: uniformity falls as τ rises — holds**"));
        assertTrue(md.contains("![Accuracy vs τ (fashion-mnist, bank, 4 epochs)](plots/accuracy_vs_tau.png)"));
        assertTrue(md.contains("- `runs/zz-running`: infonce τ 2 seed 0: no DONE (4 of 4 epochs in history.csv)"));
        assertTrue(md.contains("tauon sweep --grid paper.yaml --out sweep"));
        assertTrue(md.contains("tauon report " + sweep + " --out " + out));
        assertTrue(md.contains("Tauon version of the runs: 0.1.0"));
        assertTrue(md.contains(Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version()));
        assertTrue(md.contains("| fashion-mnist |             85.00 |"), "baselines");
    }

    @Test void resultsAreTheSameBytesOnEveryRun() throws Exception {
        Path again = tmp.resolve("again");
        Report.write(sweep, again);
        // the same runs written into a fresh sweep in reverse order
        List<FakeRuns.Run> reversed = new ArrayList<>(FakeRuns.paperLike());
        reversed.sort(Comparator.comparing(FakeRuns.Run::id).reversed());
        Path other = FakeRuns.sweep(tmp.resolve("other"), reversed);
        Report.write(other, tmp.resolve("other-out"));
        for (String f : List.of("results.csv", "results.json", "baselines.csv")) {
            byte[] first = Files.readAllBytes(out.resolve(f));
            assertArrayEquals(first, Files.readAllBytes(again.resolve(f)), f);
            assertArrayEquals(first, Files.readAllBytes(tmp.resolve("other-out").resolve(f)), f);
        }
        String csv = Files.readString(out.resolve("results.csv"));
        assertEquals(16, csv.lines().count(), "header + 15 finished runs");
        assertFalse(csv.contains("zz-running"), "unfinished runs are not results");
    }

    @Test void defaultOutIsTheFolderRead() throws Exception {
        Path dir = FakeRuns.sweep(tmp.resolve("in-place"), List.of(FakeRuns.paperLike().getFirst()));
        Report.Summary s = Report.write(dir, null);
        assertEquals(dir, s.out());
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
        assertTrue(Files.isRegularFile(dir.resolve("plots/accuracy_vs_tau.svg")));
    }

    @Test void emptyFolderIsAnError() {
        Path empty = tmp.resolve("empty");
        assertThrows(DataException.class, () -> {
            Files.createDirectories(empty);
            Report.write(empty, null);
        });
    }
}
