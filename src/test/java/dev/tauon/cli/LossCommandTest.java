package dev.tauon.cli;

import dev.tauon.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

// `tauon loss` and the new benchmarks as a user meets them.
class LossCommandTest {
    @TempDir Path dir;

    @Test void printsTheLossAndWritesGradientsAndHardness() throws Exception {
        // the LossValuesTest case, unnormalised: z1 = [(2,0), (0,3)], z2 = [(.6,.8), (1.6,−1.2)] -> NT-Xent 2.0301903 at τ = .5
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy"), out = dir.resolve("out");
        Npy.write(a, new float[] {2, 0, 0, 3}, 2, 2);
        Npy.write(b, new float[] {0.6f, 0.8f, 1.6f, -1.2f}, 2, 2);
        CliTest.Result r = CliTest.run("loss", "--z1", a.toString(), "--z2", b.toString(), "--tau", "0.5", "--out", out.toString(), "--json", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("\\{\"loss\":\"infonce\",\"value\":2\\.03019\\d*,.*\\}\\s*"), r.out());
        Npy.Array g1 = Npy.read(out.resolve("grad_z1.npy"));
        assertArrayEquals(new int[] {2, 2}, g1.shape());
        // gradients of a loss of normalised rows are orthogonal to the raw rows: g·x = 0
        assertEquals(0, g1.floats()[0] * 2 + g1.floats()[1] * 0, 1e-6);
        assertEquals(0, g1.floats()[2] * 0 + g1.floats()[3] * 3, 1e-6);
        String[] csv = Files.readString(out.resolve("hardness.csv")).split("\n");
        assertEquals(5, csv.length);
        assertTrue(csv[0].startsWith("anchor,view,row,s_pos"), csv[0]);
        for (String kind : new String[] {"dcl", "hard", "simple"}) {
            assertEquals(0, CliTest.run("loss", "--z1", a.toString(), "--z2", b.toString(), "--loss", kind).code(), kind);
        }
    }

    @Test void badFilesGiveOneLineNamingTheFile() throws Exception {
        Path good = dir.resolve("good.npy"), other = dir.resolve("other.npy"), vec = dir.resolve("vec.npy"), text = dir.resolve("text.npy");
        Npy.write(good, new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        Npy.write(other, new float[8], 4, 2);
        Npy.write(vec, new float[3], 3);
        Files.writeString(text, "not numpy");
        String[][] cases = {
                {dir.resolve("missing.npy").toString(), "missing.npy"},
                {text.toString(), "text.npy"},
                {vec.toString(), "vec.npy"},
                {other.toString(), "other.npy"}};
        for (String[] c : cases) {
            CliTest.Result r = CliTest.run("loss", "--z1", good.toString(), "--z2", c[0]);
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertTrue(r.err().contains(c[1]) && r.err().strip().split("\n").length == 1, r.err());
        }
        assertEquals(2, CliTest.run("loss", "--z1", good.toString(), "--z2", good.toString(), "--tau", "0").code());
        assertEquals(2, CliTest.run("loss", "--z1", good.toString(), "--z2", good.toString(), "--loss", "hard", "--k", "99").code());
    }

    @Test void newCommandsHaveHelp() {
        for (String[] args : new String[][] {{"loss", "--help"}, {"bench", "bank", "--help"}, {"bench", "knn", "--help"}}) {
            CliTest.Result r = CliTest.run(args);
            assertEquals(0, r.code(), String.join(" ", args));
            assertTrue(r.out().contains("Usage:"), r.out());
        }
    }

    @Test void benchmarksPrintJson() {
        CliTest.Result bank = CliTest.run("bench", "bank", "--batch", "8", "--bank", "300", "--dim", "16", "--steps", "2", "--json", "--threads", "1");
        assertEquals(0, bank.code(), bank.err());
        assertTrue(bank.out().matches("\\{\"bench\":\"bank\",.*\"ms_per_step\":[0-9.]+.*}\\s*"), bank.out());
        CliTest.Result knn = CliTest.run("bench", "knn", "--queries", "50", "--bank", "400", "--dim", "8", "--json");
        assertEquals(0, knn.code(), knn.err());
        assertTrue(knn.out().contains("\"seconds\":"), knn.out());
        assertEquals(2, CliTest.run("bench", "bank", "--batch", "500", "--bank", "300").code());
    }
}
