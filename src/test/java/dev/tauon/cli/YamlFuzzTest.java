package dev.tauon.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tauon.ReaderOutcome;
import dev.tauon.experiment.RunConfig;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

// Fuzz targets for the YAML files a user writes (Jazzer; docs/reliability.md): a run file
// (`pretrain --config`) and a grid file (`sweep --grid`), read and checked as the commands do,
// short of loading a dataset. Allowed: a configuration, or one line naming the file. SnakeYAML
// allocates about 500 bytes per byte it reads (tokens, marks, nodes; three passes), so the
// allocation bound here is 1 MiB + 1 KiB per input byte (64 x ReaderOutcome's 16 per byte):
// linear, as a blow-up through aliases would not be.
class YamlFuzzTest {
    static final Path FILE = Path.of("fuzz.yaml");
    static final long YAML_BYTES = 64;

    @FuzzTest(maxDuration = "10m")
    void run(byte[] bytes) throws Exception {
        ReaderOutcome.expect(FILE, YAML_BYTES * bytes.length, () -> {
            RunConfig c = RunOptions.config(FILE, RunOptions.readYaml(FILE, bytes), Map.of());
            assertEquals(c.id(), RunConfig.fromMap(c.toMap(), "again").id(), "a configuration reads back as itself");
        });
    }

    @FuzzTest(maxDuration = "10m")
    void grid(byte[] bytes) throws Exception {
        ReaderOutcome.expect(FILE, YAML_BYTES * bytes.length, () -> {
            GridFile g = GridFile.read(FILE, RunOptions.readYaml(FILE, bytes));
            for (var l : new java.util.List<?>[] {g.losses(), g.taus(), g.ks(), g.seeds()}) assertTrue(l == null || !l.isEmpty());
        });
    }
}
