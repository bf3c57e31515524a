package org.leakscope.textio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes of a line at a time (SIMD within a register), for the columns every line of a big log has. logscan
 * runs on the C1 compiler, which neither unrolls nor vectorises a byte loop: one word test replaces eight
 * compares and eight bounds checks.
 */
public final class Swar {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Swar() {
    }

    /** Bytes {@code b[i, i + 8)} as one little-endian word: the byte at {@code i} is the lowest. */
    public static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** First {@code c} in {@code b[from, to)}, or -1. */
    public static int indexOf(byte[] b, int from, int to, byte c) {
        long pattern = ONES * (c & 0xFF);
        int i = from;
        for (; i + 16 <= to; i += 16) { // two words a step: C1 does not unroll
            long x = (long) LONGS.get(b, i) ^ pattern;
            long y = (long) LONGS.get(b, i + 8) ^ pattern;
            long t = (x - ONES) & ~x & HIGHS;
            long u = (y - ONES) & ~y & HIGHS;
            if ((t | u) != 0) {
                return t != 0 ? i + TextLines.firstMarkedByte(t) : i + 8 + TextLines.firstMarkedByte(u);
            }
        }
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ pattern;
            long t = (x - ONES) & ~x & HIGHS;
            if (t != 0) {
                return i + TextLines.firstMarkedByte(t);
            }
        }
        for (; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether all eight bytes of {@code w} are ASCII digits. */
    public static boolean allDigits8(long w) {
        // every high nibble 3, and no low nibble above 9: adding 6 carries a low nibble of 10-15 into the high one
        return (w & 0xF0F0F0F0F0F0F0F0L) == 0x3030303030303030L
                && ((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) == 0x3030303030303030L;
    }

    /** The number eight digits spell ({@link #allDigits8} true; the lowest byte is the first digit). */
    public static long digits8(long w) {
        long v = w & 0x0F0F0F0F0F0F0F0FL;
        v = (v * (10 * 256 + 1)) >>> 8 & 0x00FF00FF00FF00FFL;     // each pair of digits in 16 bits
        v = (v * (100 * 65536 + 1)) >>> 16 & 0x0000FFFF0000FFFFL; // each four in 32
        return (v * (10000L * (1L << 32) + 1)) >>> 32;             // the eight
    }

    /**
     * Whether {@code b[s, e)} begins with {@code prefix}: eight bytes a step, the last step overlapping the one
     * before (the markers and literals of resmon lines are 9-19 bytes); a prefix under eight bytes byte by byte.
     */
    public static boolean startsWith(byte[] b, int s, int e, byte[] prefix) {
        int n = prefix.length;
        if (e - s < n) {
            return false;
        }
        if (n < 8) {
            for (int i = 0; i < n; i++) {
                if (b[s + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < n - 8; i += 8) {
            if (word(b, s + i) != word(prefix, i)) {
                return false;
            }
        }
        return word(b, s + n - 8) == word(prefix, n - 8);
    }

    /** Whether some byte of {@code w} is 0 (exact: the classic test has no false positive for whether one is). */
    public static boolean hasZeroByte(long w) {
        return ((w - ONES) & ~w & HIGHS) != 0;
    }

    /**
     * Whether the 8 bytes of {@code w} are all hex digits, either case, in a few word operations (a UMDH frame
     * line of a 32-bit process is a TAB and eight hex digits, and a 1 GB log has 60 million). A lane's top bit of
     * {@code (x | 0x80) - k} says {@code x >= k} for ASCII x, without borrows.
     */
    public static boolean allHex8(long w) {
        if ((w & HIGHS) != 0) {
            return false;
        }
        long digit = atLeast(w, 0x30) & ~atLeast(w, 0x3A);
        long lower = w | 0x2020_2020_2020_2020L; // 'A'-'F' to 'a'-'f'; no other ASCII byte lands there
        long letter = atLeast(lower, 0x61) & ~atLeast(lower, 0x67);
        return ((digit | letter) & HIGHS) == HIGHS;
    }

    private static long atLeast(long w, int k) {
        return ((w | HIGHS) - k * ONES) & HIGHS;
    }

    /** The value of 8 hex digits ({@link #allHex8} true; the lowest byte is the top digit). */
    public static long hex8(long w) {
        long v = (w & 0x0F0F_0F0F_0F0F_0F0FL) + ((w >>> 6) & ONES) * 9; // a letter has bit 6 set: 'A' & 15 = 1
        v = (v & 0x000F_000F_000F_000FL) << 4 | (v & 0x0F00_0F00_0F00_0F00L) >>> 8;
        v = (v & 0x0000_00FF_0000_00FFL) << 8 | (v & 0x00FF_0000_00FF_0000L) >>> 16;
        return (v & 0xFFFFL) << 16 | (v & 0x0000_FFFF_0000_0000L) >>> 32;
    }
}
