package org.leakscope.resmon;

import java.nio.charset.StandardCharsets;
import org.leakscope.textio.Swar;

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
        int kind = UsageLine.read(cursor.reset(b, bar + MARKER.length, end), numbers);
        if (kind == UsageLine.THREADS) {
            // read to its end: past the marker only its words, digits and trailing blanks, no NUL
            r.requireTextBefore(bar);
        } else {
            r.requireText();
        }
        // the message's end past its trailing blanks (the cursor cut them): the follower need not look again
        out.add(b, r.messageStart(), bar, cursor.end, n, r.processId(), r.elapsedSeconds(), r.clockMillis(), r.date(),
                kind, numbers);
    }

    @Override
    public void problem(long line, String expected, String found) {
        out.damage.add(new LineBatch.Damage(line, expected, found));
        if (strict || out.damage.size() >= MAX_DAMAGE) {
            throw new Stop();
        }
    }

    /**
     * Where {@code |resmon| } starts in the message, or -1. Other programs use '|' too (QUIK|GetApp1|...).
     * Most lines of a capture have no '|' at all: the search for one is a word-at-a-time scan.
     */
    static int marker(byte[] b, int s, int e) {
        int last = e - MARKER.length; // where the marker can start at the latest
        int i = s;
        while (i <= last) {
            int bar = Swar.indexOf(b, i, last + 1, (byte) '|');
            if (bar < 0) {
                return -1;
            }
            if (b[bar + 7] == '|' && Swar.startsWith(b, bar, e, MARKER)) {
                return bar;
            }
            i = bar + 1;
        }
        return -1;
    }
}
