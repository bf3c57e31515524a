package org.leakscope.resmon;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.leakscope.textio.Swar;

/**
 * Reads one resmon line in place, left to right: literals, decimal and hex numbers. Every read either
 * advances and returns true or leaves the position alone and returns false, so shapes are tried in turn.
 */
final class LineCursor {
    byte[] b;
    int pos;
    int end;
    /** The number read by the last successful {@link #dec()} or {@link #hex()}. */
    long value;
    /** How many digits that number had (8 or 16 tell a pointer's width). */
    int digits;

    LineCursor reset(byte[] bytes, int start, int stop) {
        b = bytes;
        pos = start;
        end = stop;
        while (end > pos && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--; // resmon pads some lines; DebugView keeps the blanks
        }
        return this;
    }

    /** {@link #reset} for text whose trailing blanks are already cut (a {@link LineBatch}'s lines). */
    LineCursor resetTrimmed(byte[] bytes, int start, int stop) {
        b = bytes;
        pos = start;
        end = stop;
        return this;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    boolean lit(byte[] s) {
        // Not Arrays.equals: logscan runs on the C1 compiler, which inlines neither its range checks nor its
        // mismatch call (a third of the cost of reading a usage line)
        if (!Swar.startsWith(b, pos, end, s)) {
            return false;
        }
        pos += s.length;
        return true;
    }

    boolean startsWith(byte[] s) {
        int p = pos;
        boolean ok = lit(s);
        pos = p;
        return ok;
    }

    boolean atEnd() {
        return pos == end;
    }

    boolean dec() {
        int p = pos;
        long v = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            if (v > (Long.MAX_VALUE - 9) / 10) {
                return false;
            }
            v = v * 10 + (b[p] - '0');
            p++;
        }
        if (p == pos) {
            return false;
        }
        digits = p - pos;
        value = v;
        pos = p;
        return true;
    }

    /**
     * Each byte's value as a hex digit, or -1: a table rather than Character.digit, whose Unicode lookups C2
     * inlines at every call of {@link #hex()} (a report's lines call it a dozen ways).
     */
    private static final byte[] HEX = new byte[256];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = (byte) (10 + i);
            HEX['A' + i] = (byte) (10 + i);
        }
    }

    /** Hex digits without a prefix, either case, at most 16. */
    boolean hex() {
        int p = pos;
        long v = 0;
        while (p < end && p - pos < 17) {
            int d = HEX[b[p] & 0xFF];
            if (d < 0) {
                break;
            }
            v = v << 4 | d;
            p++;
        }
        if (p == pos || p - pos > 16) {
            return false;
        }
        digits = p - pos;
        value = v;
        pos = p;
        return true;
    }

    /** {@code 0x} then hex. */
    boolean hex0x() {
        int p = pos;
        if (end - pos > 2 && b[pos] == '0' && (b[pos + 1] == 'x' || b[pos + 1] == 'X')) {
            pos += 2;
            if (hex()) {
                return true;
            }
        }
        pos = p;
        return false;
    }

    boolean onlyDashes() {
        return only('-');
    }

    boolean only(char c) {
        if (pos == end) {
            return false;
        }
        for (int i = pos; i < end; i++) {
            if (b[i] != c) {
                return false;
            }
        }
        return true;
    }

    /** Skips spaces. */
    void spaces() {
        while (pos < end && b[pos] == ' ') {
            pos++;
        }
    }

    /** The next byte, or -1 at the end. */
    int peek() {
        return pos < end ? b[pos] : -1;
    }

    String rest() {
        return new String(b, pos, end - pos, StandardCharsets.ISO_8859_1);
    }

    /**
     * The rest of the line quoted for a warning: at most {@value #EXCERPT} bytes (a warning names the line, it
     * need not hold it), control characters shown as escapes, like the DebugView reader's excerpts.
     */
    String excerpt() {
        int n = Math.min(end - pos, EXCERPT);
        StringBuilder sb = new StringBuilder(n + 24).append('\'');
        for (int i = pos; i < pos + n; i++) {
            int ch = b[i] & 0xFF;
            sb.append(ch < 0x20 || ch == 0x7f ? (ch == '\t' ? "\\t" : "\\x" + Integer.toHexString(ch)) : (char) ch);
        }
        sb.append('\'');
        if (end - pos > EXCERPT) {
            sb.append("... (").append(end - pos).append(" bytes)");
        }
        return sb.toString();
    }

    private static final int EXCERPT = 60;
}
