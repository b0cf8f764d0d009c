package dev.tauon.experiment.report;

import dev.tauon.cli.Main;
import dev.tauon.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

// A document's numbers come from the runs: each placeholder becomes the same text the report
// computes (Table 1, a finding on one study, one cell), the paper's CIFAR-10 numbers sit beside
// the study's, a study with no runs says so, and every malformed placeholder is named with its
// line. `tauon report --fill` writes the rendered file.
class TemplateTest {
    @TempDir Path tmp;

    List<Result> paperLike() throws Exception {
        return Results.load(FakeRuns.sweep(tmp.resolve("sweep"), FakeRuns.paperLike())).results();
    }

    @Test void placeholdersBecomeTheReportsNumbers() throws Exception {
        List<Result> runs = paperLike();
        Study bank = Study.of(runs).getFirst();
        String doc = Template.render("""
                # Study
                {{table bank}}
                best: {{value bank infonce 0.2 linear_accuracy}} (simple {{value bank simple - linear_accuracy}}), {{count bank}} runs in {{wall bank}}
                4: {{finding 4 bank}}
                verdict 5: {{verdict 5 fashion-mnist/bank/4}}; SimCLR: {{table simclr}} / {{count simclr}} / {{verdict 1 simclr}}
                {{plot uniformity_vs_tau bank}} {{plot nonsense bank}}
                {{versions}}""", runs, "t.md", "plots");
        String[] lines = doc.split("\n");
        assertEquals("# Study", lines[0]);
        assertTrue(doc.contains(Tables.table1(bank).markdown().stripTrailing()), doc);
        // infonce at 0.2: linear 0.85 (seed 0) and 0.854 (seed 1): mean 85.20 %, std 0.28 %
        // each fake run took 412.5 s: 15 of them 6187.5 s, 1 h 43 min 8 s
        assertTrue(doc.contains("best: 85.20 ± 0.28 (simple 74.80), 15 runs in 1:43:08"), doc);
        Findings.Finding f4 = Findings.check(bank.runs()).get(3);
        assertTrue(doc.contains("4: **" + f4.verdict() + "** — " + f4.evidence()), doc);
        assertTrue(doc.contains("verdict 5: holds; SimCLR: *(no finished runs yet)* / 0 / not covered"), doc);
        assertTrue(doc.contains("![Uniformity vs τ (fashion-mnist, bank, 4 epochs)](plots/uniformity_vs_tau.png) *(no nonsense plot for"), doc);
        assertTrue(doc.endsWith("0.1.0"), doc);
        String base = Template.render("{{baselines}}", runs, "t.md", "plots");
        assertEquals(Tables.baselinesTable(Tables.baselines(runs)).markdown().stripTrailing(), base);
        assertTrue(base.contains("raw-pixel kNN"), base);
    }

    @Test void aFindingOverSeveralStudiesIsReproducedPartlyOrNot() throws Exception {
        List<Result> runs = paperLike();
        String v5 = Findings.check(Study.of(runs).getFirst().runs()).get(4).verdict();
        assertEquals(Findings.HOLDS, v5, "the paper-like runs show finding 5");
        assertEquals("**reproduced**", Template.render("{{overall 5 bank}}", runs, "t.md", "plots"));
        assertEquals("*undecided* (bank: holds; simclr: not covered)", Template.render("{{overall 5 bank simclr}}", runs, "t.md", "plots"));
        List<String> two = List.of("simclr", "bank");
        String h = Findings.HOLDS, f = Findings.FAILS;
        assertEquals("**reproduced**", Template.overall(two, List.of(h, h)));
        assertEquals("**partly reproduced**", Template.overall(two, List.of(h, f)));
        assertEquals("**partly reproduced**", Template.overall(two, List.of(f, h)));
        assertEquals("**not reproduced**", Template.overall(two, List.of(f, f)));
        assertEquals("*undecided* (simclr: does not hold; bank: not covered)", Template.overall(two, List.of(f, Findings.NOT_COVERED)));
        DataException e = assertThrows(DataException.class, () -> Template.render("{{overall 5}}", runs, "t.md", "plots"));
        assertTrue(e.getMessage().contains("expected {{overall N STUDY...}}"), e.getMessage());
        e = assertThrows(DataException.class, () -> Template.render("{{overall 0 bank}}", runs, "t.md", "plots"));
        assertTrue(e.getMessage().contains("must be 1 to 10, got '0'"), e.getMessage());
    }

    @Test void thePapersNumbersSitBesideTheStudys() throws Exception {
        Study bank = Study.of(paperLike()).getFirst();
        String t = Paper.beside(bank).markdown();
        List<String> rows = t.lines().toList();
        assertTrue(rows.getFirst().contains("InfoNCE 0.05") && rows.getFirst().contains("HardSimple"), rows.getFirst());
        String ours = rows.stream().filter(r -> r.startsWith("| linear acc. (%), Tauon")).findFirst().orElseThrow();
        String paper = rows.stream().filter(r -> r.startsWith("| linear acc. (%), paper CIFAR-10")).findFirst().orElseThrow();
        String unif = rows.stream().filter(r -> r.startsWith("| uniformity (−L_unif), paper")).findFirst().orElseThrow();
        // columns: InfoNCE 0.05 0.1 0.2 0.5 1, Simple, Hard 0.2 0.5 1, HardSimple
        assertEquals(List.of("–", "–", "–", "–", "82.21", "74.83", "–", "–", "84.19", "84.84"), cells(paper));
        assertEquals(List.of("3.85", "3.85", "3.74", "3.34", "2.96", "1.68", "–", "–", "3.86", "3.85"), cells(unif));
        assertEquals("80.20 ± 0.28", cells(ours).getFirst());
    }

    static List<String> cells(String row) {
        String[] c = row.split("\\|");
        return java.util.Arrays.stream(c, 2, c.length).map(String::strip).toList();
    }

    @Test void badPlaceholdersAreNamedWithTheirLine() throws Exception {
        List<Result> runs = paperLike();
        for (String[] bad : new String[][] {
                {"ok\n{{tabel bank}}", "t.md line 2: {{tabel bank}}: unknown placeholder 'tabel'"},
                {"{{table}}", "expected {{table STUDY}}"},
                {"{{baselines bank}}", "expected {{baselines}}"},
                {"{{finding 11 bank}}", "must be 1 to 10, got '11'"},
                {"{{verdict x simclr}}", "must be 1 to 10, got 'x'"},   // checked even where no run is in yet
                {"{{value bank infonce x linear_accuracy}}", "τ must be a number or -, got 'x'"},
                {"{{value bank infonce 0.2 accuracy}}", "unknown metric 'accuracy'"},
                {"{{table cifar}}", "'cifar' is not a study"}}) {
            DataException e = assertThrows(DataException.class, () -> Template.render(bad[0], runs, "t.md", "plots"));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        assertEquals("–", Template.render("{{value bank infonce 0.3 linear_accuracy}}", runs, "t.md", "plots"), "a τ that did not run");
    }

    @Test void reportFillWritesTheRenderedFile() throws Exception {
        Path sweep = FakeRuns.sweep(tmp.resolve("s"), FakeRuns.paperLike());
        Path template = tmp.resolve("doc.template.md"), out = tmp.resolve("doc.md");
        Files.writeString(template, "runs: {{count bank}}\n{{plot accuracy_vs_tau bank}}\n");
        assertEquals(0, Main.run(new String[] {"report", sweep.toString(), "--out", tmp.resolve("r").toString(), "--fill", template + "=" + out}));
        assertEquals("runs: 15\n![Accuracy vs τ (fashion-mnist, bank, 4 epochs)](r/plots/accuracy_vs_tau.png)\n", Files.readString(out));
        assertTrue(Files.isRegularFile(tmp.resolve("r/plots/accuracy_vs_tau.png")));
        assertEquals(2, Main.run(new String[] {"report", sweep.toString(), "--fill", template.toString()}));
        assertEquals(2, Main.run(new String[] {"report", sweep.toString(), "--fill", tmp.resolve("none.md") + "=" + out}));
    }
}
