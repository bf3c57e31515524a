package org.leakscope.symbols;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads text lines from a file channel starting at any byte offset, with their offsets, through one reusable
 * buffer: both the one-pass index scan and the lazy lookups use it. Lines longer than {@code maxLine} are
 * returned truncated and flagged, never buffered whole.
 */
final class LineReader {
    /**
     * The first read's size. Most readers read one record (a FUNC and its line records, a FILE line): a 64 KiB
     * buffer zeroed and filled per symbol looked up was most of a lookup's time.
     */
    static final int FIRST_READ = 4096;
    private final FileChannel channel;
    private final int maxLine;
    private final int capacity; // what the buffer grows to: room for a line of maxLine and its end
    private ByteBuffer buf;     // doubled at each read after the first, up to capacity
    private long bufStart; // file offset of buf[0]
    private long next;     // file offset of the next line
    private boolean tooLong;

    LineReader(FileChannel channel, long start, int maxLine) {
        this.channel = channel;
        this.maxLine = maxLine;
        this.capacity = Math.max(64 * 1024, maxLine + 1);
        this.buf = ByteBuffer.allocate(Math.min(capacity, FIRST_READ));
        this.buf.limit(0);
        this.bufStart = start;
        this.next = start;
    }

    /**
     * Lines of a file mapped whole ({@code whole} covers offsets 0 to its limit), from {@code start}: no read and
     * no buffer of its own, where a lookup's one line read through the channel cost a system call and a 4 KiB
     * buffer (most of a Breakpad lookup's 2.9 us).
     */
    static LineReader over(ByteBuffer whole, long start, int maxLine) {
        return new LineReader(whole, start, maxLine);
    }

    private LineReader(ByteBuffer whole, long start, int maxLine) {
        this.channel = null;
        this.maxLine = maxLine;
        this.capacity = 0;
        this.buf = whole.duplicate().clear();
        this.bufStart = 0;
        this.next = start;
    }

    /** File offset where the line last returned by {@link #readLine()} starts. */
    long lineStart;

    /** True when the last line was cut at maxLine characters. */
    boolean lastLineTooLong() {
        return tooLong;
    }

    /** The next line without its terminator (CR LF or LF), or null at end of file. */
    String readLine() {
        lineStart = next;
        tooLong = false;
        long scanFrom = next;
        while (true) {
            int from = (int) (scanFrom - bufStart);
            for (int i = from; i < buf.limit(); i++) {
                if (buf.get(i) == '\n') {
                    return take((int) (next - bufStart), i, i + 1);
                }
                if (i - (next - bufStart) >= maxLine) {
                    // Too long: return the first maxLine bytes, then skip to the line's end.
                    String head = decode((int) (next - bufStart), (int) (next - bufStart) + maxLine);
                    skipToLineEnd(i);
                    tooLong = true;
                    return head;
                }
            }
            scanFrom = bufStart + buf.limit();
            if (!refill()) {
                if (next - bufStart >= buf.limit()) {
                    return null;
                }
                return take((int) (next - bufStart), buf.limit(), buf.limit());
            }
        }
    }

    private void skipToLineEnd(int from) {
        int i = from;
        while (true) {
            for (; i < buf.limit(); i++) {
                if (buf.get(i) == '\n') {
                    next = bufStart + i + 1;
                    return;
                }
            }
            next = bufStart + buf.limit();
            if (!refill()) {
                return;
            }
            i = (int) (next - bufStart);
        }
    }

    private String take(int start, int end, int after) {
        next = bufStart + after;
        int e = end > start && buf.get(end - 1) == '\r' ? end - 1 : end;
        return decode(start, e);
    }

    private String decode(int start, int end) {
        byte[] b = new byte[end - start];
        buf.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Moves the unread part to the front and reads more; false at end of file. */
    private boolean refill() {
        if (channel == null) {
            return false; // the whole file is in buf
        }
        int keep = (int) (bufStart + buf.limit() - next);
        if (keep < 0) {
            keep = 0;
        }
        int from = (int) (next - bufStart);
        boolean first = buf.limit() == 0 && bufStart == next;
        ByteBuffer to = first || buf.capacity() == capacity ? buf
                : ByteBuffer.allocate(Math.min(capacity, buf.capacity() * 2));
        if (keep > 0) {
            ByteBuffer dup = buf.duplicate();
            dup.position(from).limit(from + keep);
            ByteBuffer tail = to == buf ? ByteBuffer.allocate(keep).put(dup).flip() : dup;
            to.clear();
            to.put(tail);
        } else {
            to.clear();
        }
        buf = to;
        bufStart = next;
        try {
            int n = channel.read(buf, bufStart + keep);
            buf.flip();
            return n > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
