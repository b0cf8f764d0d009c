package dev.tauon.cli;

import dev.tauon.backend.cuda.Cuda;
import dev.tauon.backend.cuda.FakeCuda;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// `--backend` and the `gpu` line of `info` end to end, with no libraries and with the fake.
class BackendCliTest {
    private final StringWriter err = new StringWriter();
    private String out = "";

    @AfterEach void clearLibdir() { System.clearProperty(Cuda.LIBDIR_PROPERTY); }

    private int run(Path libdir, String... args) {
        System.setProperty(Cuda.LIBDIR_PROPERTY, libdir.toString());
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        StringWriter captured = new StringWriter();
        cl.setOut(new PrintWriter(captured, true));
        int code = cl.execute(args);
        out = captured.toString();
        return code;
    }

    @Test void cudaWithoutAGpuIsAOneLineUserError(@TempDir Path empty) {
        assertEquals(2, run(empty, "bench", "gemm", "--backend", "cuda", "--sizes", "8"));
        String msg = err.toString();
        assertTrue(msg.startsWith("tauon bench gemm: error: --backend cuda: no usable GPU: CUDA libraries not found in " + empty), msg);
        assertEquals(1, msg.strip().lines().count(), "one line, no stack trace: " + msg);
    }

    @Test void autoWithoutAGpuRunsOnTheCpu(@TempDir Path empty) {
        assertEquals(0, run(empty, "bench", "gemm", "--backend", "auto", "--check", "--sizes", "8"));
        assertTrue(out.contains("# backend auto: cpu (no GPU: CUDA libraries not found in " + empty), out);
        assertTrue(out.contains("n=8     cpu   A·B"), out);
    }

    // Reproducible by default: with a GPU present, commands still run on the CPU unless asked,
    // say so on their first line and record it in their JSON.
    @Test void theDefaultIsTheCpuEvenWithAGpu() {
        Path fake = FakeCuda.dir();
        assertEquals(0, run(fake, "bench", "gemm", "--sizes", "16", "--seconds", "0.01"));
        assertTrue(out.startsWith("# backend cpu"), out);
        assertEquals(0, run(fake, "bench", "gemm", "--sizes", "16", "--seconds", "0.01", "--json"));
        assertTrue(out.contains("\"backend\":\"cpu\""), out);
        assertEquals(0, run(fake, "bench", "knn", "--queries", "8", "--bank", "400", "--dim", "8"));
        assertTrue(out.lines().findFirst().orElse("").contains("backend=cpu"), out);
        assertEquals(0, run(fake, "bench", "knn", "--queries", "8", "--bank", "400", "--dim", "8", "--backend", "cuda", "--json"));
        assertTrue(out.contains("\"backend\":\"cuda\""), "opt-in: " + out);
    }

    @Test void unknownBackendIsAUserError(@TempDir Path empty) {
        assertEquals(2, run(empty, "bench", "gemm", "--backend", "tpu", "--sizes", "8"));
        assertTrue(err.toString().contains("--backend must be auto, cpu or cuda, got 'tpu'"), err.toString());
    }

    @Test void infoNamesTheReasonThereIsNoGpu(@TempDir Path empty) {
        assertEquals(0, run(empty, "info"));
        assertTrue(out.contains("gpu       none: CUDA libraries not found in " + empty), out);
    }

    @Test void infoAndCheckWithTheFakeGpu() {
        Path fake = FakeCuda.dir();
        assertEquals(0, run(fake, "info"));
        assertTrue(out.contains("gpu       Fake CUDA Device (CPU), 8.0 GiB"), out);
        assertTrue(out.contains("not bit-identical"), out);
        assertEquals(0, run(fake, "bench", "gemm", "--backend", "cuda", "--check", "--sizes", "3,17"));
        assertEquals(8, out.lines().filter(l -> l.contains(" cuda ") && l.endsWith("ok")).count(), out);
        assertEquals(0, run(fake, "bench", "gemm", "--backend", "cuda", "--sizes", "16", "--seconds", "0.01", "--json"));
        assertTrue(out.contains("\"backend\":\"cuda\",\"n\":16"), out);
    }
}
