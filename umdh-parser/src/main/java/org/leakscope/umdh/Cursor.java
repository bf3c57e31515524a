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

    private static final long HIGH = 0x8080_8080_8080_8080L;
    private static final long ONES = 0x0101_0101_0101_0101L;

    /**
     * Whether the 8 bytes of {@code w} (read little-endian: the first byte lowest) are all hex digits, in a few
     * word operations: a frame line of a 32-bit process is a TAB and eight hex digits, and a 1 GB log has 60
     * million. A lane's top bit of {@code (x | 0x80) - k} says {@code x >= k} for ASCII x, without borrows.
     */
    static boolean allHex8(long w) {
        if ((w & HIGH) != 0) {
            return false;
        }
        long digit = atLeast(w, 0x30) & ~atLeast(w, 0x3A);
        long lower = w | 0x2020_2020_2020_2020L; // 'A'-'F' to 'a'-'f'; no other ASCII byte lands there
        long letter = atLeast(lower, 0x61) & ~atLeast(lower, 0x67);
        return ((digit | letter) & HIGH) == HIGH;
    }

    private static long atLeast(long w, int k) {
        return ((w | HIGH) - k * ONES) & HIGH;
    }

    /** The value of 8 hex digits read as {@link #allHex8} reads them (the first byte is the top digit). */
    static long hex8(long w) {
        long v = (w & 0x0F0F_0F0F_0F0F_0F0FL) + ((w >>> 6) & ONES) * 9; // a letter has bit 6 set: 'A' & 15 = 1
        v = (v & 0x000F_000F_000F_000FL) << 4 | (v & 0x0F00_0F00_0F00_0F00L) >>> 8;
        v = (v & 0x0000_00FF_0000_00FFL) << 8 | (v & 0x00FF_0000_00FF_0000L) >>> 16;
        return (v & 0xFFFFL) << 16 | (v & 0x0000_FFFF_0000_0000L) >>> 32;
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
