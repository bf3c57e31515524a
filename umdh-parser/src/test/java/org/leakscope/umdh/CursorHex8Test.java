package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.leakscope.textio.Swar;

/** The word-at-a-time hex digits (Swar) of a frame line agree with the reader's byte table on every byte value. */
class CursorHex8Test {
    private static long word(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static boolean allHexByTable(byte[] b) {
        for (byte c : b) {
            if (Cursor.hexDigit(c) < 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyByteValueInEveryLane() {
        for (int lane = 0; lane < 8; lane++) {
            for (int c = 0; c < 256; c++) {
                byte[] b = "7A3f09bC".getBytes(StandardCharsets.US_ASCII);
                b[lane] = (byte) c;
                assertEquals(allHexByTable(b), Swar.allHex8(word(b)), "byte " + c + " at " + lane);
                if (allHexByTable(b)) {
                    assertEquals(Long.parseLong(new String(b, StandardCharsets.ISO_8859_1), 16),
                            Swar.hex8(word(b)), "byte " + c + " at " + lane);
                }
            }
        }
    }

    @Test
    void randomWordsOfDigitsAndOtherBytes() {
        byte[] digits = "0123456789abcdefABCDEF".getBytes(StandardCharsets.US_ASCII);
        Random r = new Random(21);
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[8];
            for (int k = 0; k < 8; k++) {
                b[k] = r.nextInt(10) == 0 ? (byte) r.nextInt(256) : digits[r.nextInt(digits.length)];
            }
            boolean hex = allHexByTable(b);
            assertEquals(hex, Swar.allHex8(word(b)));
            if (hex) {
                assertEquals(Long.parseLong(new String(b, StandardCharsets.ISO_8859_1), 16), Swar.hex8(word(b)));
            }
        }
        assertEquals(0xFFFFFFFFL, Swar.hex8(word("ffffFFFF".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(0L, Swar.hex8(word("00000000".getBytes(StandardCharsets.US_ASCII))));
    }
}
