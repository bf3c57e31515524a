package org.leakscope.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;
import org.leakscope.cli.text.ControlChars;

/**
 * Progress of long reads on stderr, only when stderr is a terminal (a script's stderr stays clean): one line
 * per file rewritten in place with a carriage return. Written past the escaping filter (it needs its own
 * carriage return and erase-line sequence), so the file name is escaped here.
 */
final class Progress {
    private final PrintStream err;
    private final OutputStream raw;
    private final boolean enabled;
    private final long started = System.nanoTime();

    Progress(PrintStream err) {
        this.err = err;
        SafePrintStream process = err instanceof SafePrintStream s && s.isProcessStream() ? s : null;
        this.raw = process == null ? null : process.raw();
        this.enabled = System.console() != null && process != null && System.getenv("LEAKSCOPE_NO_PROGRESS") == null;
    }

    /** A sink for one file's byte count, or null when progress is off. */
    LongConsumer forFile(String verb, String name, long size) {
        if (!enabled || size < (256L << 20)) {
            return null;
        }
        String shown = ControlChars.visible(name);
        return bytes -> {
            double secs = (System.nanoTime() - started) / 1e9;
            show("\r" + verb + ": reading " + shown + ": " + (bytes * 100 / Math.max(1, size)) + "% ("
                    + (bytes >> 20) + " of " + (size >> 20) + " MiB, " + Math.round((bytes >> 20) / Math.max(secs, 0.001))
                    + " MiB/s)   ");
        };
    }

    /** Shows one line of progress in place of the last (nothing when progress is off). */
    void line(String text) {
        if (enabled) {
            show("\r" + ControlChars.visible(text) + "\033[K");
        }
    }

    /** Ends the progress line so the report starts on a clean line. */
    void done() {
        if (enabled) {
            show("\r\033[K");
        }
    }

    private void show(String line) {
        synchronized (err) {
            err.flush();
            try {
                raw.write(line.getBytes(StandardCharsets.UTF_8));
                raw.flush();
            } catch (IOException e) {
                // progress is a courtesy: a closed stderr must not stop the work
            }
        }
    }
}
