package org.leakscope.textio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * Streams a text log line by line as bytes, so a parser can scan hundreds of megabytes without making a String
 * per line. Windows tools write logs in three encodings and all of them reach us:
 * <ul>
 * <li>ANSI (a Windows code page) or UTF-8: lines are the file's bytes; {@link #text(Charset)} decodes one line
 * as UTF-8 when it is valid UTF-8, else in the caller's code page;
 * <li>UTF-16LE or UTF-16BE with a byte-order mark (PowerShell's {@code >} writes UTF-16LE), or UTF-16LE without
 * one (detected from NUL high bytes): transcoded to UTF-8 on the fly, so parsers see one byte encoding.
 * </ul>
 * CR LF and LF both end a line; the CR is not part of the line. A line longer than {@code maxLineBytes} is
 * returned cut to that length with {@link #tooLong()} set, and the rest is skipped without being buffered.
 */
public final class TextLines implements Closeable {
    private static final int CHUNK = 1 << 20;
    private static final long PROGRESS_STEP = 64L << 20;

    private final FileChannel channel;
    private final Source source;
    private final String encoding;
    private final int maxLineBytes;
    private final LongConsumer progress;

    private byte[] buf;
    private int limit;     // valid bytes in buf
    private int pos;       // start of the unread part
    private boolean eof;
    private long nextProgress = PROGRESS_STEP;

    private int start;
    private int end;
    private long number;
    private boolean tooLong;
    private boolean lastHadNewline = true;
    private long base;     // file offset of buf[0] (raw sources only)

    private TextLines(FileChannel channel, Source source, String encoding, int maxLineBytes, LongConsumer progress,
            long skip) {
        this.base = skip;
        this.channel = channel;
        this.source = source;
        this.encoding = encoding;
        this.maxLineBytes = maxLineBytes;
        this.progress = progress;
        this.buf = new byte[Math.max(CHUNK, maxLineBytes) + CHUNK];
    }

    /**
     * Opens a file, detecting UTF-8/UTF-16 byte-order marks and BOM-less UTF-16LE.
     *
     * @param progress called with the count of raw file bytes read, about every 64 MiB; may be null
     */
    public static TextLines open(Path path, int maxLineBytes, LongConsumer progress) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer head = ByteBuffer.allocate(4);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // fill up to 4 bytes
            }
            int n = head.position();
            byte[] h = head.array();
            long skip;
            String enc;
            if (n >= 3 && (h[0] & 0xff) == 0xEF && (h[1] & 0xff) == 0xBB && (h[2] & 0xff) == 0xBF) {
                skip = 3;
                enc = "UTF-8";
            } else if (n >= 2 && (h[0] & 0xff) == 0xFF && (h[1] & 0xff) == 0xFE) {
                skip = 2;
                enc = "UTF-16LE";
            } else if (n >= 2 && (h[0] & 0xff) == 0xFE && (h[1] & 0xff) == 0xFF) {
                skip = 2;
                enc = "UTF-16BE";
            } else if (n >= 4 && h[0] != 0 && h[1] == 0 && h[2] != 0 && h[3] == 0) {
                skip = 0; // "/\0/\0": UTF-16LE written without a byte-order mark
                enc = "UTF-16LE";
            } else {
                skip = 0;
                enc = null;
            }
            ch.position(skip);
            Source src = enc != null && enc.startsWith("UTF-16")
                    ? new Utf16Source(ch, enc.equals("UTF-16LE") ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE)
                    : new RawSource(ch);
            return new TextLines(ch, src, enc == null ? "bytes" : enc, maxLineBytes, progress, skip);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** "UTF-16LE", "UTF-16BE", "UTF-8" (byte-order mark seen) or "bytes" (ANSI or UTF-8 without a mark). */
    public String encoding() {
        return encoding;
    }

    /** Advances to the next line; false at end of input. */
    public boolean next() throws IOException {
        tooLong = false;
        keptLine = null;
        int scan = pos;
        while (true) {
            int lim = Math.min(limit, pos + maxLineBytes);
            int i = indexOfNewline(buf, scan, lim);
            if (i >= 0) {
                setLine(pos, i);
                pos = i + 1;
                lastHadNewline = true;
                return true;
            }
            if (limit - pos >= maxLineBytes) {
                setLine(pos, pos + maxLineBytes);
                tooLong = true;
                skipRestOfLine(pos + maxLineBytes);
                return true;
            }
            int scanned = limit - pos;
            if (!fill()) {
                if (pos >= limit) {
                    return false;
                }
                setLine(pos, limit);
                pos = limit;
                lastHadNewline = false;
                return true;
            }
            scan = pos + scanned;
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * First '\n' in [from, to), or -1. Eight bytes per step (the classic has-zero-byte test on the bytes XOR
     * '\n'): line splitting is the floor of every log reader's cost, and this halves it.
     */
    public static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        // two words a step: the C1 compiler logscan runs on does not unroll (a 1 GB log's lines: -14 %)
        for (; i + 16 <= to; i += 16) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long y = (long) LONGS.get(b, i + 8) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            long u = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
            if ((t | u) != 0) {
                return t != 0 ? i + firstMarkedByte(t) : i + 8 + firstMarkedByte(u);
            }
        }
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                return i + firstMarkedByte(t);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Which byte (0-7, little-endian) holds the lowest set bit of a has-byte mask (bits only at 8k + 7; the lowest
     * is exact): the lowest bit isolated and multiplied into a byte table. Not Long.numberOfTrailingZeros: the
     * C1 compiler (logscan runs on it) has no intrinsic for it and calls a 26 + 80 byte Java method per line.
     */
    public static int firstMarkedByte(long mask) {
        return (int) ((((mask & -mask) >>> 7) * 0x0001020304050607L) >>> 56);
    }

    /**
     * Where the bytes already read past the current line start in {@link #bytes()}: a reader may scan whole lines
     * from here up to {@link #aheadEnd()} itself and {@link #advance} past them, instead of a {@link #next()} per
     * line (a UMDH log's 60 million frame lines). Only while the current line is whole ({@link #tooLong()} false).
     */
    public int aheadStart() {
        return pos;
    }

    /** End of the bytes already read (see {@link #aheadStart()}). */
    public int aheadEnd() {
        return limit;
    }

    /**
     * Makes the last of {@code count} lines the caller scanned ahead the current line, as {@code count} calls of
     * {@link #next()} would: it starts at {@code lineStart} and its '\n' is at {@code newline} in {@link #bytes()}.
     */
    public void advance(int count, int lineStart, int newline) {
        if (count <= 0 || lineStart < pos || newline < lineStart || newline >= limit || buf[newline] != '\n') {
            throw new IllegalArgumentException("not whole lines ahead: " + count + " up to " + newline);
        }
        tooLong = false;
        keptLine = null;
        number += count - 1;
        setLine(lineStart, newline);
        pos = newline + 1;
        lastHadNewline = true;
    }

    private void setLine(int s, int e) {
        number++;
        start = s;
        end = e > s && buf[e - 1] == '\r' ? e - 1 : e;
    }

    /** Skips to just after the next newline, refilling as needed; the current line's bytes stay valid. */
    private void skipRestOfLine(int from) throws IOException {
        // Copy the kept prefix aside: compaction would move it.
        byte[] kept = java.util.Arrays.copyOfRange(buf, start, end);
        int i = from;
        while (true) {
            for (; i < limit; i++) {
                if (buf[i] == '\n') {
                    pos = i + 1;
                    restore(kept);
                    lastHadNewline = true;
                    return;
                }
            }
            pos = limit;
            if (!fill()) {
                restore(kept);
                lastHadNewline = false;
                return;
            }
            i = pos;
        }
    }

    private void restore(byte[] kept) {
        // Put the kept prefix in a separate array the accessors can read.
        keptLine = kept;
    }

    private byte[] keptLine;

    /** Moves unread bytes to the front and reads more; false when nothing more could be read. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int keep = limit - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, keep);
        }
        base += pos;
        pos = 0;
        limit = keep;
        if (limit == buf.length) {
            return false; // cannot happen: buf holds maxLineBytes + one chunk
        }
        int n = source.read(buf, limit, buf.length - limit);
        if (n <= 0) {
            eof = true;
            return false;
        }
        limit += n;
        if (progress != null) {
            long raw = rawPosition();
            if (raw >= nextProgress) {
                nextProgress = raw + PROGRESS_STEP;
                progress.accept(raw);
            }
        }
        return true;
    }

    /** Buffer holding the current line; valid until the next call to {@link #next()}. */
    public byte[] bytes() {
        return keptLine != null && tooLong ? keptLine : buf;
    }

    /** Start of the current line in {@link #bytes()}. */
    public int start() {
        return keptLine != null && tooLong ? 0 : start;
    }

    /** End (exclusive, without CR/LF) of the current line in {@link #bytes()}. */
    public int end() {
        return keptLine != null && tooLong ? keptLine.length : end;
    }

    public int length() {
        return end() - start();
    }

    /** 1-based number of the current line. */
    public long number() {
        return number;
    }

    /** True when the current line was longer than the limit and has been cut. */
    public boolean tooLong() {
        return tooLong;
    }

    /** False when the current line is the last one and the file ended without a newline after it. */
    public boolean endedWithNewline() {
        return lastHadNewline;
    }

    /**
     * The file offset of the current line's first byte, or -1 when the file is transcoded (UTF-16) or the line
     * was too long: a reader can note where something is and read those bytes again later.
     */
    public long lineOffset() {
        return source instanceof RawSource && keptLine == null ? base + start : -1;
    }

    /** Raw file bytes consumed so far. */
    public long position() {
        return rawPosition();
    }

    /** The current line as text: UTF-8 when it is valid UTF-8, else {@code fallback} (a Windows code page). */
    public String text(Charset fallback) {
        return decode(bytes(), start(), end(), fallback);
    }

    /** Bytes as text: UTF-8 when valid, else {@code fallback}. */
    public static String decode(byte[] b, int s, int e, Charset fallback) {
        boolean ascii = true;
        for (int i = s; i < e; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return utf8.decode(ByteBuffer.wrap(b, s, e - s)).toString();
        } catch (CharacterCodingException x) {
            return new String(b, s, e - s, fallback);
        }
    }

    /** A short printable excerpt of the current line for error messages (at most 60 characters). */
    public String excerpt(Charset fallback) {
        return excerpt(bytes(), start(), end(), tooLong, maxLineBytes, fallback);
    }

    /**
     * A short printable excerpt of line {@code b[s, e)} for error messages (at most 60 characters).
     *
     * @param tooLong      the line was cut at {@code maxLineBytes}
     * @param maxLineBytes the line limit, named when the line was cut
     * @param fallback     the code page of text that is not UTF-8
     * @return the excerpt, quoted
     */
    public static String excerpt(byte[] b, int s, int e, boolean tooLong, int maxLineBytes, Charset fallback) {
        String t = decode(b, s, Math.min(e, s + 60), fallback);
        StringBuilder sb = new StringBuilder(t.length() + 2).append('\'');
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? (c == '\t' ? "\\t" : "\\x" + Integer.toHexString(c)) : String.valueOf(c));
        }
        sb.append('\'');
        if (e - s > 60 || tooLong) {
            sb.append("... (").append(tooLong ? "over " + maxLineBytes : String.valueOf(e - s)).append(" bytes)");
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private interface Source {
        int read(byte[] dst, int off, int len) throws IOException;
    }

    /** File bytes consumed: both sources read the channel sequentially, so its position says. */
    private long rawPosition() {
        try {
            return channel.position();
        } catch (IOException e) {
            return 0;
        }
    }

    private static final class RawSource implements Source {
        private final FileChannel ch;

        RawSource(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read(byte[] dst, int off, int len) throws IOException {
            return ch.read(ByteBuffer.wrap(dst, off, len));
        }
    }

    /** UTF-16 → UTF-8, chunk by chunk; an odd trailing byte or a lone surrogate becomes U+FFFD. */
    private static final class Utf16Source implements Source {
        private final FileChannel ch;
        private final CharsetDecoder decoder;
        private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer in = ByteBuffer.allocate(CHUNK);
        private final CharBuffer chars = CharBuffer.allocate(CHUNK);
        private boolean inputDone;

        Utf16Source(FileChannel ch, Charset cs) {
            this.ch = ch;
            this.decoder = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            in.limit(0);
            chars.limit(0);
        }

        @Override
        public int read(byte[] dst, int off, int len) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(dst, off, len);
            while (out.position() == off) {
                if (chars.hasRemaining()) {
                    CoderResult r = encoder.encode(chars, out, false);
                    if (r.isOverflow()) {
                        break;
                    }
                    if (chars.hasRemaining()) {
                        chars.get(); // a dangling surrogate the decoder let through: drop it, never spin
                    }
                    continue;
                }
                if (inputDone) {
                    break;
                }
                in.compact();
                int n = ch.read(in);
                in.flip();
                chars.clear();
                if (n < 0) {
                    inputDone = true;
                    decoder.decode(in, chars, true);
                    decoder.flush(chars);
                } else {
                    decoder.decode(in, chars, false);
                }
                chars.flip();
            }
            int n = out.position() - off;
            return n == 0 ? -1 : n;
        }
    }
}
