package org.leakscope.resmon;

/**
 * resmon's usage lines, printed every monitoring cycle by every monitored program (shapes: docs/formats/resmon.md
 * §3): most of a log's resmon lines. They need nothing of the run they belong to, so they are read where the line
 * is first looked at, on the threads that read the log's chunks ({@link ResmonLineFilter}), and the one thread
 * that follows the runs gets their numbers.
 * <pre>
 * threads used 4, sync object used 9, memory used 122207139
 * all threads used 18% cpu (kernel 6%, user 12%)                     the whole process's share is on the next line
 * process [1780] used 18% cpu (kernel 6%, user 12%) disk used 0 bytes
 * </pre>
 */
final class UsageLine {
    /** Not a usage line (a limit update, a report line, ...). */
    static final int NONE = 0;
    static final int THREADS = 1;
    static final int ALL_THREADS = 2;
    static final int PROCESS = 3;
    /** Each kind's shape, for the warning about a damaged one. */
    static final String[] SHAPE = {null, "threads used N, sync object used N, memory used N",
            "all threads used N% cpu (kernel N%, user N%)",
            "process [PID] used N% cpu (kernel N%, user N%) disk used N bytes"};

    static final byte[] THREADS_USED = LineCursor.ascii("threads used ");
    static final byte[] ALL_THREADS_USED = LineCursor.ascii("all threads used ");
    static final byte[] PROCESS_USED = LineCursor.ascii("process [");
    private static final byte[] SYNC_USED = LineCursor.ascii(", sync object used ");
    private static final byte[] MEMORY_USED = LineCursor.ascii(", memory used ");
    private static final byte[] USED = LineCursor.ascii("] used ");
    private static final byte[] CPU_OPEN = LineCursor.ascii("% cpu (kernel ");
    private static final byte[] USER = LineCursor.ascii("%, user ");
    private static final byte[] CPU_CLOSE = LineCursor.ascii("%)");
    private static final byte[] DISK = LineCursor.ascii(" disk used ");
    private static final byte[] BYTES = LineCursor.ascii(" bytes");

    private UsageLine() {
    }

    /**
     * Reads the line at {@code c}: its kind, with its numbers in {@code v} (THREADS: threads, sync objects, memory
     * bytes; PROCESS: cpu %, disk bytes); minus its kind when it begins like one but is damaged (then {@code c}
     * is where reading stopped, for the warning's excerpt); NONE, {@code c} unmoved, for any other line.
     */
    static int read(LineCursor c, long[] v) {
        if (c.lit(THREADS_USED)) {
            return c.dec() && store(c, v, 0) && c.lit(SYNC_USED) && c.dec() && store(c, v, 1) && c.lit(MEMORY_USED)
                    && c.dec() && store(c, v, 2) && c.atEnd() ? THREADS : -THREADS;
        }
        if (c.lit(ALL_THREADS_USED)) {
            return c.dec() && c.lit(CPU_OPEN) ? ALL_THREADS : -ALL_THREADS;
        }
        if (c.lit(PROCESS_USED)) {
            return c.dec() && c.lit(USED) && c.dec() && store(c, v, 0) && c.lit(CPU_OPEN) && c.dec() && c.lit(USER)
                    && c.dec() && c.lit(CPU_CLOSE) && c.lit(DISK) && c.dec() && store(c, v, 1) && c.lit(BYTES)
                    ? PROCESS : -PROCESS;
        }
        return NONE;
    }

    private static boolean store(LineCursor c, long[] v, int i) {
        v[i] = c.value;
        return true;
    }
}
