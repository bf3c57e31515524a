package org.leakscope.resmon;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * resmon lines handed from the thread that splits the log to the thread that follows the runs: the message
 * bytes copied out of the read buffer, with where the name and marker are and the line's time. Reused.
 */
final class LineBatch implements LinePosition {
    static final int LINES = 2048;

    byte[] data = new byte[256 * 1024];
    int used;
    int count;
    final int[] start = new int[LINES];
    final int[] bar = new int[LINES];
    final int[] end = new int[LINES];
    final long[] lines = new long[LINES];
    final long[] pids = new long[LINES];
    final double[] seconds = new double[LINES];
    final int[] clocks = new int[LINES];
    final LocalDate[] dates = new LocalDate[LINES];
    /** The last batch of the log (records counted; or a failure to rethrow). */
    boolean last;
    long records;
    Throwable failure;
    /** The entry {@link LinePosition} reports on. */
    int current;

    void clear() {
        used = 0;
        count = 0;
        last = false;
        failure = null;
        Arrays.fill(dates, null);
    }

    boolean full() {
        return count == LINES;
    }

    /** Copies message bytes [s, e) of a line whose marker is at {@code markerAt}. */
    void add(byte[] b, int s, int markerAt, int e, long line, long pid, double t, int clock, LocalDate date) {
        int len = e - s;
        if (used + len > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, used + len));
        }
        System.arraycopy(b, s, data, used, len);
        start[count] = used;
        bar[count] = used + (markerAt - s);
        end[count] = used + len;
        used += len;
        lines[count] = line;
        pids[count] = pid;
        seconds[count] = t;
        clocks[count] = clock;
        dates[count] = date;
        count++;
    }

    @Override
    public long line() {
        return lines[current];
    }

    @Override
    public int clockMillis() {
        return clocks[current];
    }

    @Override
    public LocalDate date() {
        return dates[current];
    }
}
