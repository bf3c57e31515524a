package org.leakscope.fuzz;

import org.leakscope.model.InputFormatException;

/**
 * What every reader promises on any input: it returns, or it throws the documented {@link InputFormatException};
 * within a second. Anything else escaping (another exception, an {@code OutOfMemoryError}) is a finding that
 * Jazzer reports and keeps; a slow input is failed here, since Jazzer's JUnit mode has no per-input time-out.
 */
final class ReaderContract {
    /** The bound: one input, however hostile, takes at most about a second. */
    static final long LIMIT_NANOS = 1_000_000_000L;

    /** The work of one input. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private ReaderContract() {
    }

    /**
     * Runs {@code work} on one input, holding it to the contract. An input over the limit is run once more before
     * it counts: the first run of a new path may include JIT compilation and class loading, which are not the
     * reader's cost.
     */
    static void check(String target, Work work) throws Exception {
        long took = timed(target, work);
        if (took > LIMIT_NANOS) {
            took = timed(target, work);
        }
        if (took > LIMIT_NANOS) {
            throw new AssertionError(target + ": one input took " + took / 1_000_000 + " ms twice (limit 1,000 ms)");
        }
    }

    private static long timed(String target, Work work) throws Exception {
        long start = System.nanoTime();
        try {
            work.run();
        } catch (InputFormatException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError(target + ": InputFormatException without a message", expected);
            }
        }
        return System.nanoTime() - start;
    }
}
