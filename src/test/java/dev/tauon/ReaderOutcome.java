package dev.tauon;

import com.sun.management.ThreadMXBean;
import dev.tauon.data.DataException;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

// What a file reader may do with any input, for the fuzz tests: read it, or refuse it with its
// own one-line error (DataException or IllegalArgumentException) that starts with the file's
// name, within 10 seconds. Any other exception fails the test, and so do a hang and allocating
// more than a small multiple of the bytes the input really holds (a size claimed by a header
// must not be trusted).
public final class ReaderOutcome {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long SLACK = 1 << 20;       // buffers, header strings, regex state
    private static final long PER_BYTE = 16;         // payload + copies + decoded floats
    private static final long SECONDS = 10;
    // One worker runs the reads, so that a hang is caught here (JUnit's @Timeout would also
    // stop a whole fuzzing run, which is one invocation of the test).
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reader-under-test");
        t.setDaemon(true);
        return t;
    });

    public interface Read { void run() throws Exception; }

    private ReaderOutcome() {}

    // realBytes: what the input holds once decoded (for gzip, the unpacked length). Each input
    // runs twice and the second run is measured: the first may load and initialise classes (a
    // new error path), which allocates megabytes that have nothing to do with the input.
    public static void expect(Path file, long realBytes, Read read) throws Exception {
        expect(file + ": ", realBytes, read);
    }

    // The same where the reader's errors start with `prefix` (a folder's reader naming a file in it).
    public static void expect(String prefix, long realBytes, Read read) throws Exception {
        Future<Long> allocated = WORKER.submit(() -> {
            run(prefix, read);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            run(prefix, read);
            return THREADS.getCurrentThreadAllocatedBytes() - before;
        });
        long bytes;
        try {
            bytes = allocated.get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw (Error) e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no answer from the reader (" + prefix + ") within " + SECONDS + " s: a hang");
        }
        assertTrue(bytes <= SLACK + PER_BYTE * realBytes, "allocated " + bytes + " bytes for an input of " + realBytes);
    }

    private static void run(String prefix, Read read) throws Exception {
        try {
            read.run();
        } catch (DataException | IllegalArgumentException e) {
            String m = e.getMessage();
            assertNotNull(m, "an error without a message");
            assertTrue(m.startsWith(prefix) && !m.contains("\n") && !m.contains("\r"), "not one line starting '" + prefix + "': " + m);
        }
    }
}
