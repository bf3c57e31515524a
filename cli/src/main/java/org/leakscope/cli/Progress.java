package org.leakscope.cli;

import java.io.PrintStream;
import java.util.function.LongConsumer;

/**
 * Progress of long reads on stderr, only when stderr is a terminal (a script's stderr stays clean): one line
 * per file rewritten in place with a carriage return.
 */
final class Progress {
    private final PrintStream err;
    private final boolean enabled;
    private final long started = System.nanoTime();

    Progress(PrintStream err) {
        this.err = err;
        this.enabled = System.console() != null && err == System.err && System.getenv("LEAKSCOPE_NO_PROGRESS") == null;
    }

    /** A sink for one file's byte count, or null when progress is off. */
    LongConsumer forFile(String verb, String name, long size) {
        if (!enabled || size < (256L << 20)) {
            return null;
        }
        return bytes -> {
            double secs = (System.nanoTime() - started) / 1e9;
            synchronized (err) {
                err.print("\r" + verb + ": reading " + name + ": " + (bytes * 100 / Math.max(1, size)) + "% ("
                        + (bytes >> 20) + " of " + (size >> 20) + " MiB, " + Math.round((bytes >> 20) / Math.max(secs, 0.001))
                        + " MiB/s)   ");
                err.flush();
            }
        };
    }

    /** Ends the progress line so the report starts on a clean line. */
    void done() {
        if (enabled) {
            synchronized (err) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
