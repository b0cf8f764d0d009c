package dev.tauon.data;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

// Finds and loads the datasets by name. Fashion-MNIST and MNIST share the four IDX file names;
// each file may be plain or end in .gz. Fashion-MNIST is looked for in --data DIR when given,
// else in the Debian package's directory; an explicit DIR that lacks a file is an error, not a
// reason to fall back. fashion-mnist-small is a subset shipped in the jar; cifar10 see Cifar10.
public final class Datasets {
    public static final List<String> NAMES = List.of("fashion-mnist", "fashion-mnist-small", "mnist", "cifar10");
    static final String EMBEDDED = "fashion-mnist-small/";   // resource folder, beside this class
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte", TRAIN_LABELS = "train-labels-idx1-ubyte",
            TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private Datasets() {}

    public record Split(Dataset train, Dataset test) {}

    // name: one of NAMES; dataDir: the --data argument, or null.
    public static Split load(String name, Path dataDir) {
        return switch (name) {
            case "fashion-mnist" -> fashionMnist(dataDir);
            case "fashion-mnist-small" -> {
                if (dataDir != null) throw new DataException("fashion-mnist-small is embedded; --data is not used (got --data " + dataDir + ")");
                yield fashionMnistSmall();
            }
            case "mnist" -> mnist(dataDir);
            case "cifar10" -> Cifar10.load(dataDir);
            case null, default -> throw new DataException("unknown dataset '" + name + "'; the datasets are " + String.join(", ", NAMES));
        };
    }

    // fashion-mnist when the system copy is installed, else the embedded subset.
    public static String defaultName() { return defaultName(FASHION_MNIST_DIR); }

    static String defaultName(Path systemDir) {
        for (String stem : FILES) if (find(systemDir, stem) == null) return "fashion-mnist-small";
        return "fashion-mnist";
    }

    // The embedded subset: 6,000 train (600 a class) and 1,000 test (100 a class) images of
    // Fashion-MNIST, class-balanced round-robin; made by scripts/make-fashion-mnist-small.py.
    public static Split fashionMnistSmall() {
        return new Split(embedded("train", TRAIN_IMAGES, TRAIN_LABELS), embedded("test", TEST_IMAGES, TEST_LABELS));
    }

    private static Dataset embedded(String split, String imagesStem, String labelsStem) {
        String images = EMBEDDED + imagesStem + ".gz", labels = EMBEDDED + labelsStem + ".gz";
        int[] y = Idx.readLabels(resource(labels), "classpath:" + labels);
        Idx.Images x = Idx.readImages(resource(images), "classpath:" + images);
        return Idx.pair("fashion-mnist-small/" + split, x, "classpath:" + images, y, "classpath:" + labels, 10);
    }

    private static InputStream resource(String path) {
        InputStream in = Datasets.class.getResourceAsStream(path);
        if (in == null) throw new DataException("classpath:" + path + ": missing from the jar; the embedded fashion-mnist-small needs it (rebuild the jar)");
        return in;
    }

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
