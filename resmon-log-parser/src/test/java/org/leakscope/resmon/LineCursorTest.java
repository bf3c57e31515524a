package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A literal matches where every one of its bytes does, at any length and offset, and moves the cursor only then. */
class LineCursorTest {
    private static boolean matchesByByte(byte[] line, int pos, int end, byte[] lit) {
        if (end - pos < lit.length) {
            return false;
        }
        for (int i = 0; i < lit.length; i++) {
            if (line[pos + i] != lit[i]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void literalsOfEveryLengthWithOneByteChangedAnywhere() {
        Random r = new Random(19);
        LineCursor c = new LineCursor();
        for (int round = 0; round < 20_000; round++) {
            byte[] lit = new byte[1 + r.nextInt(24)];
            for (int i = 0; i < lit.length; i++) {
                lit[i] = (byte) (' ' + r.nextInt(95));
            }
            byte[] line = new byte[r.nextInt(40) + lit.length];
            for (int i = 0; i < line.length; i++) {
                line[i] = (byte) ('a' + r.nextInt(26));
            }
            int pos = r.nextInt(line.length - lit.length + 1);
            System.arraycopy(lit, 0, line, pos, lit.length);
            if (r.nextBoolean()) { // one byte off, anywhere in the literal, by one bit
                line[pos + r.nextInt(lit.length)] ^= (byte) (1 << r.nextInt(8));
            }
            int end = pos + r.nextInt(line.length - pos + 1); // sometimes shorter than the literal
            c.b = line;
            c.pos = pos;
            c.end = end;
            boolean expected = matchesByByte(line, pos, end, lit);
            assertEquals(expected, c.lit(lit), "round " + round);
            assertEquals(expected ? pos + lit.length : pos, c.pos, "round " + round);
        }
    }
}
