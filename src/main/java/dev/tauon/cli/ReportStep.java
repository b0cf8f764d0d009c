package dev.tauon.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

// The report at the end of a sweep or the demo.
final class ReportStep {
    private ReportStep() {}

    static void write(Path sweep, PrintWriter out) {
        out.println("report: tauon report " + sweep);
    }
}
