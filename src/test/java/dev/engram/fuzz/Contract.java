package dev.engram.fuzz;

import com.sun.management.ThreadMXBean;
import dev.engram.EngramException;
import dev.engram.ExitCode;

import java.lang.management.ManagementFactory;

/**
 * What every fuzz target checks of a parser of untrusted bytes: it returns, or it refuses the
 * input with an {@link EngramException} a user can act on (not an internal error) whose message
 * is one non-blank line. Anything else that escapes (another runtime exception, an
 * OutOfMemoryError, a StackOverflowError) is a bug, and so is a parse that allocates more than
 * {@link #ALLOCATION_LIMIT}: the inputs are a few KB, so that much memory means a size was
 * believed from a header instead of checked against the data (a decompression bomb). Hangs are
 * caught by the time bound of {@link ParserFuzzTest}.
 */
final class Contract {
    /**
     * The most one input may allocate. Generous: a few KB of PNG may legitimately hold a flat
     * image of some million pixels, which engram decodes into floats; a bomb asks for gigabytes.
     */
    static final long ALLOCATION_LIMIT = 512L << 20;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Something that parses the input under test. */
    interface Parse {
        void run() throws Exception;
    }

    private Contract() {
    }

    /**
     * Runs {@code parse} and fails unless it returned or refused the input as a user's error.
     * Memory is measured again on a second run when the first allocated too much: the first use
     * of a class (ImageIO's readers, say) allocates for loading it, and, when fuzzing, for
     * instrumenting it; a bomb allocates on every run.
     */
    static void holds(Parse parse) throws Exception {
        long allocated = allocatedBy(parse);
        if (allocated > ALLOCATION_LIMIT) {
            allocated = allocatedBy(parse);
        }
        if (allocated > ALLOCATION_LIMIT) {
            throw new AssertionError("one input made the parser allocate " + (allocated >> 20) + " MiB (limit "
                    + (ALLOCATION_LIMIT >> 20) + " MiB): a declared size is believed before it is checked");
        }
    }

    /** The bytes this thread allocated while {@code parse} ran, having checked how it ended. */
    private static long allocatedBy(Parse parse) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            parse.run();
        } catch (EngramException e) {
            checkRefusal(e);
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void checkRefusal(EngramException e) {
        String message = e.getMessage();
        if (e.exitCode() == ExitCode.INTERNAL_ERROR) {
            throw new AssertionError("bad input reported as an internal error: " + message, e);
        }
        if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")) {
            throw new AssertionError("a refusal's message must be one non-blank line: [" + message + "]", e);
        }
    }
}
