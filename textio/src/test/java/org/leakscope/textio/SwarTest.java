package org.leakscope.textio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time tests agree with a byte-at-a-time reading on every byte value and on random text. */
class SwarTest {
    private static boolean allDigitsByByte(byte[] b) {
        for (byte c : b) {
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int indexOfByByte(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Calls {@code check} with {@code base} (8 bytes) changed in one lane to each byte value, and what changed. */
    private static void everyByteInEveryLane(String base, java.util.function.BiConsumer<byte[], String> check) {
        for (int lane = 0; lane < 8; lane++) {
            for (int c = 0; c < 256; c++) {
                byte[] b = base.getBytes(StandardCharsets.ISO_8859_1);
                b[lane] = (byte) c;
                check.accept(b, "byte " + c + " at " + lane);
            }
        }
    }

    @Test
    void digitsEveryByteValueInEveryLane() {
        everyByteInEveryLane("00000059", (b, what) -> {
            boolean digits = allDigitsByByte(b);
            assertEquals(digits, Swar.allDigits8(Swar.word(b, 0)), what);
            if (digits) {
                assertEquals(Long.parseLong(new String(b, StandardCharsets.ISO_8859_1)), Swar.digits8(Swar.word(b, 0)),
                        what);
            }
        });
        assertEquals(99_999_999L, Swar.digits8(Swar.word("99999999".getBytes(StandardCharsets.US_ASCII), 0)));
        assertEquals(12_345_678L, Swar.digits8(Swar.word("12345678".getBytes(StandardCharsets.US_ASCII), 0)));
    }

    @Test
    void digitsRandomWords() {
        Random r = new Random(8);
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[8];
            for (int k = 0; k < 8; k++) {
                b[k] = r.nextInt(12) == 0 ? (byte) r.nextInt(256) : (byte) ('0' + r.nextInt(10));
            }
            boolean digits = allDigitsByByte(b);
            assertEquals(digits, Swar.allDigits8(Swar.word(b, 0)));
            if (digits) {
                assertEquals(Long.parseLong(new String(b, StandardCharsets.ISO_8859_1)), Swar.digits8(Swar.word(b, 0)));
            }
        }
    }

    @Test
    void indexOfAgreesWithByteLoopOnEveryRange() {
        Random r = new Random(40);
        for (int round = 0; round < 2_000; round++) {
            byte[] b = new byte[1 + r.nextInt(48)];
            for (int k = 0; k < b.length; k++) {
                // few of the byte looked for, and bytes that differ from it in one bit (the has-zero test's traps)
                int pick = r.nextInt(10);
                b[k] = pick == 0 ? (byte) '\t' : pick == 1 ? (byte) ('\t' ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
            }
            for (int from = 0; from <= b.length; from++) {
                for (int to = from; to <= b.length; to++) {
                    assertEquals(indexOfByByte(b, from, to, (byte) '\t'), Swar.indexOf(b, from, to, (byte) '\t'),
                            "round " + round + " [" + from + ", " + to + ")");
                }
            }
        }
        byte[] high = {1, 2, (byte) 0xF0, 3, 4, 5, 6, 7, 8, (byte) 0xF0};
        assertEquals(2, Swar.indexOf(high, 0, high.length, (byte) 0xF0));
        assertEquals(9, Swar.indexOf(high, 3, high.length, (byte) 0xF0));
    }

    @Test
    void startsWithAgreesWithByteLoopForEveryLengthAndChangedByte() {
        Random r = new Random(9);
        for (int round = 0; round < 20_000; round++) {
            byte[] prefix = new byte[r.nextInt(25)];
            r.nextBytes(prefix);
            byte[] b = new byte[prefix.length + r.nextInt(30)];
            r.nextBytes(b);
            int s = r.nextInt(b.length - prefix.length + 1);
            System.arraycopy(prefix, 0, b, s, prefix.length);
            if (prefix.length > 0 && r.nextBoolean()) { // one bit off, anywhere
                b[s + r.nextInt(prefix.length)] ^= (byte) (1 << r.nextInt(8));
            }
            int e = s + r.nextInt(b.length - s + 1); // sometimes shorter than the prefix
            boolean expected = e - s >= prefix.length;
            for (int i = 0; expected && i < prefix.length; i++) {
                expected = b[s + i] == prefix[i];
            }
            assertEquals(expected, Swar.startsWith(b, s, e, prefix), "round " + round);
        }
    }

    @Test
    void hasZeroByteEveryByteValueInEveryLane() {
        everyByteInEveryLane("\u0001\u0080\u00ffA1b\u007f~", (b, what) -> {
            boolean zero = false;
            for (byte c : b) {
                zero |= c == 0;
            }
            assertEquals(zero, Swar.hasZeroByte(Swar.word(b, 0)), what);
        });
    }
}
