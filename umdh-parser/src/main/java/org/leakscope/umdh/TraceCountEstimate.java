package org.leakscope.umdh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How many traces a big snapshot log holds, from a sample read before the log itself: UMDH prints a trace's stack once,
 * after its first record, so the stacks that start in evenly spaced windows, scaled to the file, estimate the traces
 * without bias (a 1 GB log: 64 windows of 64 KiB, 4 MB read). The per-trace tables are then made that big at once:
 * grown by doubling they left as much again in dead copies for a full collection (about 170 MB a log of 3 million
 * traces). Only a size hint: a wrong estimate costs memory or growth, never a wrong answer.
 */
final class TraceCountEstimate {
    private static final long MIN_FILE = 64L << 20; // below this the tables grow cheaply
    private static final int WINDOWS = 64;
    private static final int WINDOW = 64 << 10;
    /** At most this many traces are reserved up front, however the sample reads. */
    static final int MAX = 1 << 23;

    private TraceCountEstimate() {
    }

    /** The estimated number of traces, or 0 for a small file or one whose sample shows no UMDH stacks. */
    static int of(Path path) {
        return of(path, MIN_FILE);
    }

    /** {@link #of(Path)} for files of at least {@code minFile} bytes (tests sample small files). */
    static int of(Path path, long minFile) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < Math.max(minFile, 2L * WINDOW)) {
                return 0;
            }
            ByteBuffer buf = ByteBuffer.allocate(WINDOW);
            long stacks = 0;
            long records = 0;
            long sampled = 0;
            for (int w = 0; w < WINDOWS; w++) {
                buf.clear();
                long at = (size - WINDOW) / WINDOWS * w + (size - WINDOW) / WINDOWS / 2;
                while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
                    // a short read: go on
                }
                int[] counts = count(buf.array(), buf.position());
                stacks += counts[0];
                records += counts[1];
                sampled += counts[2];
            }
            if (records == 0 || stacks == 0 || sampled == 0) {
                return 0;
            }
            // 10% under: a log just past a table size grows once, where one just under would get tables twice
            // too big (the benchmark's logs of 500k traces sample at 525k)
            double estimate = 0.9 * stacks * size / sampled;
            return (int) Math.min(MAX, Math.min(estimate, size / 64.0));
        } catch (IOException | RuntimeException e) {
            return 0; // the read proper reports what is wrong with the file
        }
    }

    /**
     * {stack starts, record lines, bytes of whole lines} in a window: whole lines only (from after the first
     * newline to the last), a stack start being a tab-led line after a line that is not.
     */
    static int[] count(byte[] b, int n) {
        int s = 0;
        while (s < n && b[s] != '\n') {
            s++;
        }
        s++;
        int from = s;
        int end = n;
        while (end > s && b[end - 1] != '\n') {
            end--;
        }
        int stacks = 0;
        int records = 0;
        boolean previousTab = true; // the line before the first whole one is unknown: do not count a start there
        for (int i = s; i < end;) {
            int e = i;
            while (b[e] != '\n') {
                e++;
            }
            boolean tab = e > i && b[i] == '\t';
            if (tab && !previousTab) {
                stacks++;
            }
            if (!tab && contains(b, i, e, BACKTRACE)) {
                records++;
            }
            previousTab = tab;
            i = e + 1;
        }
        return new int[] {stacks, records, Math.max(0, end - from)};
    }

    private static final byte[] BACKTRACE = Cursor.ascii("BackTrace");

    private static boolean contains(byte[] b, int from, int to, byte[] lit) {
        outer:
        for (int i = from; i + lit.length <= to; i++) {
            for (int k = 0; k < lit.length; k++) {
                if (b[i + k] != lit[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
