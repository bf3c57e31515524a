package org.leakscope.umdh;

/**
 * A read position inside one line's bytes, with the few token readers UMDH's line shapes need. Methods that
 * cannot match return a sentinel (false, or {@link #NONE}) and leave the position where the match failed, so
 * a caller tries the next shape or reports the line.
 */
final class Cursor {
    static final long NONE = Long.MIN_VALUE;

    byte[] b;
    int p;
    int end;

    Cursor reset(byte[] bytes, int start, int stop) {
        this.b = bytes;
        this.p = start;
        this.end = stop;
        return this;
    }

    boolean atEnd() {
        return p >= end;
    }

    int peek() {
        return p < end ? b[p] : -1;
    }

    int skipBlanks() {
        int n = 0;
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
            n++;
        }
        return n;
    }

    /** Consumes {@code lit} if the bytes at the position equal it. */
    boolean literal(byte[] lit) {
        if (end - p < lit.length) {
            return false;
        }
        for (int i = 0; i < lit.length; i++) {
            if (b[p + i] != lit[i]) {
                return false;
            }
        }
        p += lit.length;
        return true;
    }

    /** Like {@link #literal} ignoring ASCII case ("BackTrace" vs "Backtrace"). */
    boolean literalIgnoreCase(byte[] lit) {
        if (end - p < lit.length) {
            return false;
        }
        for (int i = 0; i < lit.length; i++) {
            if ((b[p + i] | 0x20) != (lit[i] | 0x20)) {
                return false;
            }
        }
        p += lit.length;
        return true;
    }

    /**
     * An unsigned hex number of 1..16 digits, with an optional {@code 0x}; NONE when there is none, or when it
     * has more than 16 digits (the position is then left after the digits, see {@link #overflow}).
     */
    long hex() {
        overflow = false;
        int s = p;
        if (end - p >= 2 && b[p] == '0' && (b[p + 1] | 0x20) == 'x') {
            p += 2;
        }
        int ds = p;
        long v = 0;
        while (p < end) {
            int d = hexDigit(b[p]);
            if (d < 0) {
                break;
            }
            v = (v << 4) | d;
            p++;
        }
        int n = p - ds;
        if (n == 0) {
            p = s;
            return NONE;
        }
        if (n > 16) {
            overflow = true;
            return NONE;
        }
        return v;
    }

    /** An unsigned decimal number of 1..18 digits; NONE otherwise ({@link #overflow} set when too long). */
    long decimal() {
        overflow = false;
        int s = p;
        long v = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            v = v * 10 + (b[p] - '0');
            p++;
        }
        int n = p - s;
        if (n == 0) {
            return NONE;
        }
        if (n > 18) {
            overflow = true;
            return NONE;
        }
        return v;
    }

    /** Set when the last number read had too many digits to be a 64-bit value. */
    boolean overflow;

    /** The bytes up to the next blank or the end, as a [start, end) pair packed into a long. */
    long token() {
        int s = p;
        while (p < end && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        return ((long) s << 32) | p;
    }

    static int tokenStart(long t) {
        return (int) (t >>> 32);
    }

    static int tokenEnd(long t) {
        return (int) t;
    }

    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = (byte) (10 + i);
            HEX['A' + i] = (byte) (10 + i);
        }
    }

    /** 0..15, or -1 for a byte that is not a hex digit (a table lookup: this runs for every byte of a record). */
    static int hexDigit(byte c) {
        return HEX[c & 0xff];
    }

    static boolean isHexDigit(byte c) {
        return hexDigit(c) >= 0;
    }

    /** True when every byte in [s, e) is a hex digit and the range is not empty. */
    static boolean allHex(byte[] b, int s, int e) {
        if (s >= e) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (hexDigit(b[i]) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first occurrence of {@code lit} in [from, end), or -1. */
    int indexOf(byte[] lit, int from) {
        outer:
        for (int i = from; i <= end - lit.length; i++) {
            for (int j = 0; j < lit.length; j++) {
                if (b[i + j] != lit[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
