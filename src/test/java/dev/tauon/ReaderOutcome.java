package dev.tauon;

import com.sun.management.ThreadMXBean;
import dev.tauon.data.DataException;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

// What a file reader may do with any input, for the fuzz tests: read it, or refuse it with its
// own one-line error (DataException or IllegalArgumentException) that starts with the file's
// name. Any other exception fails the test, and so does allocating more than a small multiple
// of the bytes the input really holds (a size claimed by a header must not be trusted).
public final class ReaderOutcome {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long SLACK = 1 << 20;       // buffers, header strings, regex state
    private static final long PER_BYTE = 16;         // payload + copies + decoded floats

    public interface Read { void run() throws Exception; }

    private ReaderOutcome() {}

    // realBytes: what the input holds once decoded (for gzip, the unpacked length).
    // Each input runs twice and the second run is measured: the first may load and initialise
    // classes (a new error path), which allocates megabytes that have nothing to do with the input.
    public static void expect(Path file, long realBytes, Read read) throws Exception {
        run(file, read);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        run(file, read);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= SLACK + PER_BYTE * realBytes, "allocated " + allocated + " bytes for an input of " + realBytes);
    }

    private static void run(Path file, Read read) throws Exception {
        try {
            read.run();
        } catch (DataException | IllegalArgumentException e) {
            String m = e.getMessage();
            assertNotNull(m, "an error without a message");
            assertTrue(m.startsWith(file + ": ") && !m.contains("\n"), "not one line naming " + file + ": " + m);
        }
    }
}
