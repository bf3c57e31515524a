package org.leakscope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Addresses print the same as zero-padded Long.toHexString, at every width and for every bit length. */
class HexTest {
    private static String reference(long v, int digits, boolean upper) {
        String d = Long.toHexString(v);
        String padded = "0".repeat(Math.max(0, digits - d.length())) + d;
        return upper ? padded.toUpperCase(Locale.ROOT) : padded;
    }

    @Test
    void digitsAgreeWithToHexString() {
        Random r = new Random(16);
        for (int i = 0; i < 100_000; i++) {
            long v = r.nextLong() >>> r.nextInt(64);
            int width = r.nextInt(18);
            boolean upper = r.nextBoolean();
            assertEquals(reference(v, width, upper), Hex.digits(v, width, upper), Long.toHexString(v) + " " + width);
        }
        assertEquals("0", Hex.digits(0, 0, true));
        assertEquals("00000000", Hex.digits(0, 8, false));
        assertEquals("FFFFFFFFFFFFFFFF", Hex.digits(-1, 8, true));
        assertEquals("7FF6236DB9A0", Hex.digits(0x7FF6236DB9A0L, 12, true));
    }
}
