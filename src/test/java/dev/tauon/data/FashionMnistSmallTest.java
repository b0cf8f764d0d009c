package dev.tauon.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

// The embedded subset: its shape and balance, its manifest against the shipped bytes, and (when
// the real Fashion-MNIST is installed) its images against the source at the manifest's indices,
// which are re-derived here from the rule the script follows.
class FashionMnistSmallTest {
    static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    @Test void isClassBalancedRoundRobinWithTheFashionMnistShape() {
        Datasets.Split s = Datasets.load("fashion-mnist-small", null);
        check(s.train(), "fashion-mnist-small/train", 6000);
        check(s.test(), "fashion-mnist-small/test", 1000);
        assertArrayEquals(s.train().head(137).labels(), s.train().balancedHead(137).labels(), "already in the balanced order");
    }

    static void check(Dataset d, String name, int n) {
        assertEquals(name, d.name());
        assertEquals(n, d.n());
        assertEquals(1, d.c());
        assertEquals(28, d.h());
        assertEquals(28, d.w());
        for (int i = 0; i < n; i++) assertEquals(i % 10, d.labels()[i], "label " + i);
        float min = 1, max = 0;
        for (float v : d.images()) { min = Math.min(min, v); max = Math.max(max, v); }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test void theManifestMatchesTheShippedFilesAndTheLicenceShips() throws Exception {
        String manifest = text("MANIFEST.json");
        for (String f : FILES) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(f) + "\": \\{\\s*\"sha256\": \"([0-9a-f]{64})\"").matcher(manifest);
            assertTrue(m.find(), f + " in MANIFEST.json");
            byte[] bytes = bytes(f);
            assertEquals(m.group(1), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), f);
            assertTrue(bytes.length < 3_000_000, f + " stays small: " + bytes.length);
        }
        String licence = text("LICENSE-fashion-mnist.txt");
        assertTrue(licence.contains("Copyright (c) 2017 Zalando SE") && licence.contains("MIT"), licence);
        assertTrue(manifest.contains("MIT License, Copyright (c) 2017 Zalando SE"), "the licence line");
    }

    @Test void theImagesAreTheSourceImagesTheRuleChooses() {
        assumeTrue(Files.isDirectory(Datasets.FASHION_MNIST_DIR), "no " + Datasets.FASHION_MNIST_DIR);
        Datasets.Split full = Datasets.fashionMnist(null), small = Datasets.fashionMnistSmall();
        String manifest = text("MANIFEST.json");
        for (var split : new Dataset[][] {{full.train(), small.train()}, {full.test(), small.test()}}) {
            Dataset source = split[0], subset = split[1];
            String which = subset.name().endsWith("train") ? "train" : "test";
            int[] chosen = indices(manifest, which);
            assertArrayEquals(rule(source.labels(), subset.n() / 10), chosen, which + " indices follow the rule");
            assertArrayEquals(source.subset(chosen).images(), subset.images(), which + " images");
            assertArrayEquals(source.subset(chosen).labels(), subset.labels(), which + " labels");
        }
    }

    // Per class the first perClass indices in file order, then round-robin over the classes.
    static int[] rule(int[] labels, int perClass) {
        int[][] byClass = new int[10][perClass];
        int[] seen = new int[10];
        for (int i = 0; i < labels.length; i++) if (seen[labels[i]] < perClass) byClass[labels[i]][seen[labels[i]]++] = i;
        int[] out = new int[10 * perClass];
        for (int r = 0; r < perClass; r++) for (int k = 0; k < 10; k++) out[r * 10 + k] = byClass[k][r];
        return out;
    }

    static int[] indices(String manifest, String split) {
        Matcher m = Pattern.compile("\"" + split + "\": \\[([0-9,]*)]").matcher(manifest);
        assertTrue(m.find(), split + " indices in MANIFEST.json");
        return Arrays.stream(m.group(1).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    static byte[] bytes(String name) {
        try (InputStream in = Datasets.class.getResourceAsStream(Datasets.EMBEDDED + name)) {
            assertNotNull(in, name + " on the classpath");
            return in.readAllBytes();
        } catch (IOException e) { throw new UncheckedIOException(e); }
    }

    static String text(String name) { return new String(bytes(name), StandardCharsets.UTF_8); }
}
