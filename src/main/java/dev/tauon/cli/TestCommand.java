package dev.tauon.cli;

import picocli.CommandLine.Command;

// `tauon test` is the launcher's: it runs the test suite with Maven from the source tree (what CI
// runs). Listed here so that `tauon --help` shows it; the jar alone cannot run it.
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the whole test suite (./tauon test runs 'mvn test' in the source tree; what CI runs).")
final class TestCommand implements Runnable {
    @Override public void run() {
        throw new UserError("the test suite runs from the source tree: ./tauon test (it calls 'mvn test'); this jar holds no tests");
    }
}
