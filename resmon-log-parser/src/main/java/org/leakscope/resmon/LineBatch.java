package org.leakscope.resmon;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.textio.Swar;

/**
 * A stretch of a log as the thread that follows the runs needs it, read ahead by another thread (or by the same
 * one): its resmon lines (where each message, program name and marker are in {@link #data}, the pid and the
 * time as the line printed them), the lines it could not read, and what it changes of the file's state (lines,
 * records, framing). Line numbers count from the stretch's first line; {@link #base} places them in the file
 * once the lines before are counted. Reused from stretch to stretch.
 */
final class LineBatch implements LinePosition {
    /** A line the DebugView reader could not use, numbered within the batch. */
    record Damage(long line, String expected, String found) {
    }

    /** The bytes the offsets point into: a chunk of the file read in place, or messages copied here. */
    byte[] data = new byte[0];
    /** Bytes of {@link #data} in use. */
    int used;
    int count;
    int[] start = new int[1024];
    int[] bar = new int[1024];
    int[] end = new int[1024];
    long[] lines = new long[1024];
    long[] pids = new long[1024];
    double[] elapsed = new double[1024];
    int[] clocks = new int[1024];
    LocalDate[] dates = new LocalDate[1024];
    /** Each line's {@link UsageLine} kind, read by the filter; a usage line's numbers at {@code [3 * i, 3 * i + 3)}. */
    byte[] usage = new byte[1024];
    long[] numbers = new long[3 * 1024];
    /**
     * The first 16 bytes of each line's program name (before the marker) as two words, zero past the name: the
     * follower finds a line's run from these without loading the line's bytes, which another thread read.
     */
    long[] names = new long[2 * 1024];
    final List<Damage> damage = new ArrayList<>();
    /** The stretch ends here: its line holds binary data (numbered within the batch). */
    InputFormatException failure;
    /** Reading failed otherwise (rethrown by the follower). */
    Throwable crash;

    /** Lines of the file in this stretch (0 when its lines are numbered from the file's start: UTF-16 logs). */
    int lineCount;
    long records;
    /** A SEQ/TIME-framed line came before the stretch's end. */
    boolean framed;
    /** Which chunk of the file this is ({@link LogChunks}). */
    int chunk;
    /** Read before the lines ahead of it were: as if past line 1,000 of a framed log whose records began. */
    boolean speculative;
    /** The computer name of the file's first line, or null. */
    String computer;
    /** The log's first record is in this stretch: its time starts the clock. */
    boolean firstRecord;
    double firstElapsed;
    int firstClock;
    LocalDate firstDate;
    /** The file's bytes up to here have been read (for progress). */
    long endOffset;

    /** Lines of the file before this stretch. */
    long base;
    /** The entry {@link LinePosition} reports on. */
    int current;

    void clear() {
        used = 0;
        count = 0;
        damage.clear();
        failure = null;
        crash = null;
        lineCount = 0;
        records = 0;
        framed = false;
        speculative = false;
        computer = null;
        firstRecord = false;
        firstDate = null;
        endOffset = 0;
        base = 0;
        Arrays.fill(dates, null);
    }

    /**
     * Adds a resmon line: message bytes {@code b[s, e)}, trailing blanks cut, with the marker at {@code markerAt}.
     * Read in place when {@code b} is {@link #data}, else copied. {@code kind}: what {@link UsageLine#read} made of
     * it, with its numbers in {@code v}.
     */
    void add(byte[] b, int s, int markerAt, int e, long line, long pid, double t, int clock, LocalDate date,
            int kind, long[] v) {
        if (count == start.length) {
            grow();
        }
        if (b != data) {
            int len = e - s;
            if (used + len > data.length) {
                data = Arrays.copyOf(data, Math.max(Math.max(data.length * 2, 64 * 1024), used + len));
            }
            System.arraycopy(b, s, data, used, len);
            markerAt = used + (markerAt - s);
            s = used;
            used += len;
            e = used;
        }
        start[count] = s;
        bar[count] = markerAt;
        end[count] = e;
        lines[count] = line;
        pids[count] = pid;
        elapsed[count] = t;
        clocks[count] = clock;
        dates[count] = date;
        usage[count] = (byte) kind;
        if (kind > 0) {
            System.arraycopy(v, 0, numbers, 3 * count, 3);
        }
        nameWords(data, s, markerAt, 2 * count);
        count++;
    }

    private void nameWords(byte[] b, int s, int e, int at) {
        int n = e - s;
        long w0 = 0;
        long w1 = 0;
        if (s + 16 <= b.length) {
            w0 = Swar.word(b, s);
            w1 = Swar.word(b, s + 8);
            if (n < 8) {
                w0 &= (1L << (8 * n)) - 1;
                w1 = 0;
            } else if (n < 16) {
                w1 &= (1L << (8 * (n - 8))) - 1;
            }
        } else {
            for (int k = 0; k < Math.min(n, 16); k++) {
                long v = (b[s + k] & 0xFFL) << (8 * (k & 7));
                if (k < 8) {
                    w0 |= v;
                } else {
                    w1 |= v;
                }
            }
        }
        names[at] = w0;
        names[at + 1] = w1;
    }

    private void grow() {
        int n = count * 2;
        start = Arrays.copyOf(start, n);
        bar = Arrays.copyOf(bar, n);
        end = Arrays.copyOf(end, n);
        lines = Arrays.copyOf(lines, n);
        pids = Arrays.copyOf(pids, n);
        elapsed = Arrays.copyOf(elapsed, n);
        clocks = Arrays.copyOf(clocks, n);
        dates = Arrays.copyOf(dates, n);
        usage = Arrays.copyOf(usage, n);
        numbers = Arrays.copyOf(numbers, 3 * n);
        names = Arrays.copyOf(names, 2 * n);
    }

    @Override
    public long line() {
        return base + lines[current];
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
