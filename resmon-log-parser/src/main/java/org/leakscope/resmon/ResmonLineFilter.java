package org.leakscope.resmon;

import java.nio.charset.StandardCharsets;
import org.leakscope.textio.Swar;
import org.leakscope.textio.TextLines;

/**
 * The first look at every line of a log: the DebugView columns (through a {@link DebugViewReader} fed line by
 * line), then the {@code |resmon| } marker. Most lines are other programs' and end here unparsed; resmon lines
 * get their time and pid read, usage lines their numbers ({@link UsageLine}), and go into the current
 * {@link LineBatch}. Damaged lines go there too, numbered, so the follower reports them in line order with its
 * own.
 */
final class ResmonLineFilter implements ReportBuilder.ProblemSink {
    static final byte[] MARKER = "|resmon| ".getBytes(StandardCharsets.US_ASCII);
    /** A stretch with more damaged lines than this fails anyway (the file's problems are capped at 1,000). */
    private static final int MAX_DAMAGE = 1001;

    /** Ends a stretch early: the file fails at one of its damaged lines (strict, or too many). */
    static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private final DebugViewReader reader;
    private final boolean strict;
    private boolean sawRecord;
    private LineBatch out;
    private final LineCursor cursor = new LineCursor();
    private final long[] numbers = new long[3];

    /**
     * @param source    the file, for messages
     * @param lineBase  lines before the first line fed, or -1 when not known (a chunk read ahead)
     * @param framed    a SEQ/TIME-framed line came before
     * @param sawRecord a record came before (else the first one's time starts the log's clock)
     */
    ResmonLineFilter(String source, DebugViewOptions options, long lineBase, boolean framed, boolean sawRecord) {
        this.reader = new DebugViewReader(source, options, this, lineBase, framed);
        this.strict = options.strict();
        this.sawRecord = sawRecord;
    }

    /** Where the next lines go. */
    void into(LineBatch batch) {
        out = batch;
    }

    DebugViewReader reader() {
        return reader;
    }

    /**
     * One line: {@code b[s, e)} without CR LF, numbered {@code n} in the batch.
     *
     * @throws Stop when the batch should end here
     * @throws org.leakscope.model.InputFormatException when the line is binary data
     */
    void line(byte[] b, int s, int e, long n, boolean tooLong) {
        DebugViewReader r = reader;
        if (!r.accept(b, s, e, n, tooLong)) {
            return;
        }
        out.records++;
        if (!sawRecord) { // the time axis starts at the log's first line, not its first resmon line
            sawRecord = true;
            out.firstRecord = true;
            out.firstDate = r.date();
            out.firstClock = r.clockMillis();
            out.firstElapsed = r.elapsedSeconds();
        }
        int end = r.messageEnd();
        int bar = marker(b, r.rawMessageStart(), end);
        if (bar < 0) {
            return; // other output: never parsed further
        }
        r.requireText();
        int kind = UsageLine.read(cursor.reset(b, bar + MARKER.length, end), numbers);
        out.add(b, r.messageStart(), bar, end, n, r.processId(), r.elapsedSeconds(), r.clockMillis(), r.date(), kind,
                numbers);
    }

    @Override
    public void problem(long line, String expected, String found) {
        out.damage.add(new LineBatch.Damage(line, expected, found));
        if (strict || out.damage.size() >= MAX_DAMAGE) {
            throw new Stop();
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Where {@code |resmon| } starts in the message, or -1. Other programs use '|' too (QUIK|GetApp1|...).
     * Most lines of a capture have no marker, so this looks for a '|' eight bytes at a time.
     */
    static int marker(byte[] b, int s, int e) {
        int last = e - MARKER.length;
        int i = s;
        while (i <= last) {
            if (i + 8 <= e) {
                long x = (long) LONGS.get(b, i) ^ 0x7C7C7C7C7C7C7C7CL;
                long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (t == 0) {
                    i += 8;
                    continue;
                }
                i += TextLines.firstMarkedByte(t);
            } else if (b[i] != '|') {
                i++;
                continue;
            }
            if (i <= last && b[i + 7] == '|' && Swar.startsWith(b, i, e, MARKER)) {
                return i;
            }
            i++;
        }
        return -1;
    }
}
