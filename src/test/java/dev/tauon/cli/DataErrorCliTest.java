package dev.tauon.cli;

import dev.tauon.data.DataException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

// A bad data file reaches the user as one line and exit status 2, like any UserError.
class DataErrorCliTest {
    @Command(name = "load") static final class Load implements Runnable {
        @Override public void run() { throw new DataException("/data/train-images-idx3-ubyte.gz: truncated payload"); }
    }

    @Test void dataExceptionIsAOneLineUserError() {
        CommandLine cl = Main.commandLine().addSubcommand(new Load());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("load"));
        assertEquals("tauon load: error: /data/train-images-idx3-ubyte.gz: truncated payload", err.toString().strip());
    }
}
