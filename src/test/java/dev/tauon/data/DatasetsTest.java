package dev.tauon.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.tauon.data.IdxFiles.*;
import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    @TempDir Path dir;

    @Test void loadsAnExplicitDirectoryWithMixedPlainAndGzipNames() {
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(30, 4, 4)));
        write(dir, "train-labels-idx1-ubyte", labels(30));
        write(dir, "t10k-images-idx3-ubyte", images(10, 4, 4));
        write(dir, "t10k-labels-idx1-ubyte.gz", gzip(labels(10)));
        Datasets.Split s = Datasets.fashionMnist(dir, dir.resolve("no-system-copy"));
        assertEquals(30, s.train().n());
        assertEquals(10, s.test().n());
        assertEquals("fashion-mnist/train", s.train().name());
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, s.train().classCounts());
        Datasets.Split m = Datasets.mnist(dir);
        assertEquals("mnist/test", m.test().name());
        assertEquals(16, m.test().sampleSize());
    }

    @Test void notFoundSaysWhereItLookedAndHowToGetTheData() {
        Path system = dir.resolve("usr-share-datasets-fashion-mnist");
        String m = assertThrows(DataException.class, () -> Datasets.fashionMnist(null, system)).getMessage();
        assertTrue(m.contains("looked in " + system), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("--data DIR"), m);
        assertTrue(m.contains("train-images-idx3-ubyte") && m.contains("t10k-labels-idx1-ubyte"), m);
        assertFalse(m.contains("\n"));
    }

    @Test void anExplicitDirectoryMissingFilesIsNamedAndNotSkipped() throws Exception {
        Path system = Files.createDirectory(dir.resolve("system"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            write(system, f, f.contains("images") ? images(2, 2, 2) : labels(2));
        }
        Path given = Files.createDirectory(dir.resolve("given"));
        write(given, "train-images-idx3-ubyte", images(2, 2, 2));
        String m = assertThrows(DataException.class, () -> Datasets.fashionMnist(given, system)).getMessage();
        assertTrue(m.contains("looked in " + given + " (from --data)"), m);
        assertTrue(m.contains("lacks train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"), m);
        assertEquals(2, Datasets.fashionMnist(null, system).train().n(), "the system copy itself loads");
        String mn = assertThrows(DataException.class, () -> Datasets.mnist(null)).getMessage();
        assertTrue(mn.contains("--data DIR"), mn);
    }

    @Test void loadDispatchesByNameAndAnUnknownNameListsTheValidOnes() {
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            write(dir, f, f.contains("images") ? images(4, 2, 2) : labels(4));
        }
        assertEquals("mnist/train", Datasets.load("mnist", dir).train().name());
        assertEquals("fashion-mnist/test", Datasets.load("fashion-mnist", dir).test().name());
        assertEquals(java.util.List.of("fashion-mnist", "fashion-mnist-small", "mnist", "cifar10"), Datasets.NAMES);
        String m = assertThrows(DataException.class, () -> Datasets.load("cifar-10", dir)).getMessage();
        assertEquals("unknown dataset 'cifar-10'; the datasets are fashion-mnist, fashion-mnist-small, mnist, cifar10", m);
        assertThrows(DataException.class, () -> Datasets.load(null, null));
        String small = assertThrows(DataException.class, () -> Datasets.load("fashion-mnist-small", dir)).getMessage();
        assertTrue(small.startsWith("fashion-mnist-small is embedded; --data is not used"), small);
    }

    @Test void theDefaultIsTheSystemCopyWhenAllFourFilesAreThereElseTheEmbeddedSubset() throws Exception {
        Path system = Files.createDirectory(dir.resolve("system"));
        assertEquals("fashion-mnist-small", Datasets.defaultName(dir.resolve("absent")));
        String[] files = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz"};
        for (String f : files) {
            assertEquals("fashion-mnist-small", Datasets.defaultName(system));
            write(system, f, new byte[0]);
        }
        assertEquals("fashion-mnist", Datasets.defaultName(system));
    }
}
