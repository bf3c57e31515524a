package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A long trace id's key (9-14 hex digits in one case) read eight digits at a time agrees with the digit-by-digit
 * definition: every byte value in every position, mixed case on either side of the eighth digit, every length.
 */
class HexKeyTest {
    /** The definition: all hex digits, not both cases, the value and case and length packed as hexKey's doc says. */
    private static long byDigits(byte[] b) {
        if (b.length < 9 || b.length > 14) {
            return 0;
        }
        String s = new String(b, StandardCharsets.ISO_8859_1);
        if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            return 0;
        }
        boolean upper = s.chars().anyMatch(c -> c >= 'A' && c <= 'F');
        boolean lower = s.chars().anyMatch(c -> c >= 'a' && c <= 'f');
        if (upper && lower) {
            return 0;
        }
        return UmdhSnapshotReader.HEX_KEY | (lower ? UmdhSnapshotReader.LOWER_CASE : 0)
                | (long) (b.length - 9) << 57 | Long.parseLong(s, 16);
    }

    private static long key(byte[] id) {
        byte[] line = new byte[id.length + 12]; // the id inside a longer buffer, as in a line of a log
        System.arraycopy(id, 0, line, 5, id.length);
        return UmdhSnapshotReader.hexKey(line, 5, 5 + id.length);
    }

    @Test
    void everyByteInEveryPosition() {
        for (String base : new String[] {"1D4932CA1", "1d4932ca1", "1000009E3A", "12345678901234", "ABCDEF012"}) {
            for (int at = 0; at < base.length(); at++) {
                for (int c = 0; c < 256; c++) {
                    byte[] id = base.getBytes(StandardCharsets.US_ASCII);
                    id[at] = (byte) c;
                    assertEquals(byDigits(id), key(id), base + " with byte " + c + " at " + at);
                }
            }
        }
    }

    @Test
    void randomIdsOfEveryLengthAndCase() {
        Random r = new Random(21);
        String digits = "0123456789ABCDEFabcdef";
        for (int k = 0; k < 200_000; k++) {
            byte[] id = new byte[7 + r.nextInt(10)];
            int alphabet = r.nextInt(3); // upper only, lower only, or both
            for (int i = 0; i < id.length; i++) {
                int d = r.nextInt(16);
                char c = digits.charAt(d < 10 ? d : alphabet == 0 ? d : alphabet == 1 ? d + 6 : d + 6 * r.nextInt(2));
                id[i] = (byte) c;
            }
            assertEquals(byDigits(id), key(id), new String(id, StandardCharsets.US_ASCII));
        }
    }
}
