package dev.tauon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

// Bad input to `tauon pretrain`: one clear line naming the flag or file, exit status 2, and no
// run folder a later --resume would trust.
class PretrainCliTest {
    @TempDir Path tmp;

    record Outcome(int rc, String err, String out) {}

    Outcome pretrain(String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("pretrain", "--runs", tmp.resolve("runs").toString()));
        if (!java.util.List.of(args).contains("--limit")) all.addAll(java.util.List.of("--limit", "64"));
        if (!java.util.List.of(args).contains("--dataset")) all.addAll(java.util.List.of("--dataset", "fashion-mnist-small"));
        if (!java.util.List.of(args).contains("--batch")) all.addAll(java.util.List.of("--batch", "32"));
        all.addAll(java.util.List.of(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        PrintStream old = System.err, oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.run(all.toArray(String[]::new));
            return new Outcome(rc, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
            System.setOut(oldOut);
        }
    }

    void refused(String expected, String... args) throws Exception {
        Outcome o = pretrain(args);
        assertEquals(2, o.rc(), o.err());
        assertTrue(o.err().contains(expected), "expected '" + expected + "' in: " + o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
        assertEquals(1, o.err().strip().lines().filter(l -> l.contains("error")).count(), o.err());
        Path runs = tmp.resolve("runs");
        if (Files.isDirectory(runs)) {
            try (var s = Files.walk(runs)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("ckpt-") || p.getFileName().toString().equals("config.json")),
                        "nothing a --resume would trust");
            }
        }
    }

    @Test void unknownNamesAreRefused() throws Exception {
        refused("unknown setting 'nonsense'", "--setting", "nonsense");
        refused("unknown loss 'ntxent'", "--loss", "ntxent");
        refused("unknown model 'vgg'", "--model", "vgg");
        refused("unknown dataset", "--dataset", "imagenet");
    }

    @Test void badTemperaturesAndKAreRefused() throws Exception {
        refused("--tau", "--tau", "0");
        refused("--tau", "--tau", "-0.5");
        refused("--tau", "--tau", "NaN");
        refused("--k", "--loss", "hard", "--k", "0");
        refused("--k) must be in [1, 62]", "--loss", "hard", "--k", "63");
    }

    @Test void missingDataAndUnwritableFoldersAreRefused() throws Exception {
        refused("not found", "--dataset", "fashion-mnist", "--data", tmp.resolve("nowhere").toString());
        Path file = tmp.resolve("afile");
        Files.writeString(file, "x");
        Outcome o = new Outcome(0, "", "");
        String[] args = {"pretrain", "--runs", file.toString(), "--dataset", "fashion-mnist-small", "--limit", "64", "--batch", "32"};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            o = new Outcome(Main.run(args), err.toString(StandardCharsets.UTF_8), "");
        } finally {
            System.setErr(old);
        }
        assertEquals(2, o.rc(), o.err());
        assertTrue(o.err().contains("afile: is a file"), o.err());
    }

    @Test void namesThatLeaveTheRunsFolderAreRefused() throws Exception {
        refused("not a plain folder name", "--name", "../x");
        refused("not a plain folder name", "--name", "/tmp/abs");
        refused("not a plain folder name", "--name", "a/b");
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test void aFinishedRunIsNotOverwritten() throws Exception {
        Path runs = tmp.resolve("runs"), r = runs.resolve("mine");
        Files.createDirectories(r);
        Files.writeString(r.resolve("config.json"), "{\"id\":\"x\",\"config\":{\"loss\":\"infonce\"}}");
        Outcome o = pretrain("--name", "mine");
        assertEquals(2, o.rc());
        assertTrue(o.err().contains("already holds a run") && o.err().contains("--resume"), o.err());
    }

    // The hard loss at K = 3 from an untrained network collapses within a few epochs, as the study's
    // run at K = 21 did (docs/reproduction.md, finding 7): the epochs that end at ln(K + 1) say so,
    // on the console and in log.txt; an InfoNCE run of the same size, which learns, gets no warning.
    @Test void aCollapseIsNamed() throws Exception {
        String[] common = {"--limit", "256", "--batch", "32", "--tau", "0.2", "--lr", "1.0", "--epochs", "4", "--probe", "ridge", "--eval-every", "0", "--threads", "1"};
        Outcome hard = pretrain(concat(common, "--loss", "hard", "--k", "3", "--name", "hard"));
        assertEquals(0, hard.rc(), hard.err());
        String warning = String.format(java.util.Locale.ROOT, "sits at %.4f, the loss of an embedding collapsed to one point", Math.log(4));
        assertTrue(hard.out().contains("warning: epoch 4's loss") && hard.out().contains(warning), hard.out());
        assertTrue(Files.readString(tmp.resolve("runs/hard/log.txt")).contains(warning), "log.txt keeps the warning");
        Outcome info = pretrain(concat(common, "--loss", "infonce", "--name", "info"));
        assertEquals(0, info.rc(), info.err());
        assertFalse(info.out().contains("collapsed to one point"), info.out());
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
