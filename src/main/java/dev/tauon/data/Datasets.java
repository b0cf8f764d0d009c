package dev.tauon.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

// Finds and loads the IDX datasets. Fashion-MNIST and MNIST share the four file names; each
// file may be plain or end in .gz. Fashion-MNIST is looked for in --data DIR when given, else
// in the Debian package's directory; an explicit DIR that lacks a file is an error, not a
// reason to fall back.
public final class Datasets {
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte", TRAIN_LABELS = "train-labels-idx1-ubyte",
            TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private Datasets() {}

    public record Split(Dataset train, Dataset test) {}

    // dataDir: the --data argument, or null for the system copy.
    public static Split fashionMnist(Path dataDir) { return fashionMnist(dataDir, FASHION_MNIST_DIR); }

    static Split fashionMnist(Path dataDir, Path systemDir) {
        Path dir = dataDir != null ? dataDir : systemDir;
        String how = "install it with 'apt-get install dataset-fashion-mnist' (into " + systemDir
                + "), or pass --data DIR containing the four IDX files " + fileList();
        return loadDir("fashion-mnist", "Fashion-MNIST", dir, dataDir != null, how);
    }

    public static Split mnist(Path dataDir) {
        String how = "pass --data DIR containing the four MNIST IDX files " + fileList();
        if (dataDir == null) throw new DataException("MNIST has no default location; " + how);
        return loadDir("mnist", "MNIST", dataDir, true, how);
    }

    // The file for a stem in dir: the plain name if present, else the .gz name, else null.
    static Path find(Path dir, String stem) {
        for (String name : List.of(stem, stem + ".gz")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static Split loadDir(String name, String title, Path dir, boolean explicit, String how) {
        String where = dir + (explicit ? " (from --data)" : "");
        if (!Files.isDirectory(dir)) {
            throw new DataException(title + " not found: looked in " + where + ", which is not a directory; " + how);
        }
        List<String> missing = new ArrayList<>();
        for (String stem : FILES) if (find(dir, stem) == null) missing.add(stem + "[.gz]");
        if (!missing.isEmpty()) {
            throw new DataException(title + " not found: looked in " + where + ", which lacks " + String.join(", ", missing) + "; " + how);
        }
        Dataset train = Idx.load(name + "/train", find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS), 10);
        Dataset test = Idx.load(name + "/test", find(dir, TEST_IMAGES), find(dir, TEST_LABELS), 10);
        if (train.h() != test.h() || train.w() != test.w()) {
            throw new DataException(dir + ": train images are " + train.h() + "x" + train.w() + " but test images are " + test.h() + "x" + test.w());
        }
        return new Split(train, test);
    }

    private static String fileList() { return String.join(", ", FILES) + " (each may end in .gz)"; }
}
