package dev.tauon.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

// The command line as a user meets it: help everywhere, usage and a non-zero exit for bad input,
// never a stack trace for a user mistake.
class CliTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test void everyCommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"info", "--help"}, {"bench", "--help"}, {"bench", "gemm", "--help"}}) {
            Result r = run(args);
            assertEquals(0, r.code(), String.join(" ", args));
            assertTrue(r.out().contains("Usage:"), String.join(" ", args) + " printed: " + r.out());
        }
    }

    // Every command and subcommand, found by walking the tree: its help renders, and picocli's
    // tracer (which writes to System.err, not to the command's writer) has no complaint, such as
    // a description with a bare % that it cannot format.
    @Test void everyHelpTextFormatsCleanly() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream traced = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(traced, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine()));
            int seen = 0;
            for (CommandLine c; (c = todo.poll()) != null; seen++) {
                String usage = c.getUsageMessage();
                assertTrue(usage.contains("Usage: " + c.getCommandSpec().qualifiedName()), usage);
                assertFalse(c.getCommandSpec().usageMessage().description().length == 0 && c.getCommandSpec().parent() != null,
                        c.getCommandSpec().qualifiedName() + " has no description");
                todo.addAll(c.getSubcommands().values());
            }
            assertTrue(seen >= 8, "walked only " + seen + " commands");
        } finally {
            System.setErr(saved);
        }
        assertEquals("", traced.toString(java.nio.charset.StandardCharsets.UTF_8), "picocli complained while rendering help");
    }

    @Test void versionAndInfo() {
        Result v = run("--version");
        assertTrue(v.out().startsWith("tauon "), "out=[" + v.out() + "] err=[" + v.err() + "] code=" + v.code());
        Result info = run("info");
        assertEquals(0, info.code());
        assertTrue(info.out().contains("simd") && info.out().contains("threads"), info.out());
    }

    @Test void badFlagsPrintUsageAndExitNonZeroWithoutStackTrace() {
        for (String[] args : new String[][] {{"bench", "gemm", "--sizes", "abc"}, {"bench", "gemm", "--bogus"},
                {"bench", "gemm", "--sizes", "0"}, {"bench", "gemm", "--threads", "0"}, {"nosuchcommand"}, {"bench"}}) {
            Result r = run(args);
            assertNotEquals(0, r.code(), String.join(" ", args));
            assertFalse(r.err().contains("\tat "), "stack trace for " + String.join(" ", args) + ":\n" + r.err());
            assertFalse(r.err().isBlank(), "no message for " + String.join(" ", args));
        }
        assertTrue(run("bench", "gemm", "--bogus").err().contains("Usage: tauon bench gemm"));
        assertTrue(run("bench", "gemm", "--sizes", "0").err().contains("--sizes"));
    }

    @Test void benchGemmPrintsOneJsonObjectPerSize() {
        Result r = run("bench", "gemm", "--sizes", "8,16", "--seconds", "0.01", "--json", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].matches("\\{\"bench\":\"gemm\",.*\"n\":8,\"threads\":1,.*\"gflops\":[0-9.]+.*}"), lines[0]);
        assertTrue(lines[1].contains("\"n\":16"), lines[1]);
    }

    // a small step: one JSON object with the keys; without --warmup-seconds 0 the
    // warm-up would run for 5 s
    @Test void benchStepPrintsOneJsonObject() {
        Result r = run("bench", "step", "--batch", "4", "--steps", "2", "--warmup", "1", "--warmup-seconds", "0", "--json", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().matches("\\{\"bench\":\"step\",\"batch\":4,\"views\":8,.*\"warmup_steps\":1,\"views_per_s\":[0-9.]+,.*\"peak_rss_mib\":[0-9]+,.*}"), r.out());
        assertEquals(2, run("bench", "step", "--warmup-seconds", "-1").code());
    }
}
