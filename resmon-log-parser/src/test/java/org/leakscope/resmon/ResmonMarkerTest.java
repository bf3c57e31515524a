package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The |resmon| marker is found at its first whole occurrence in a message, past other programs' '|' and past
 * pieces of it, wherever it sits in a word and however the message ends.
 */
class ResmonMarkerTest {
    private static final String[] PIECES = {"|", "||", "|resmon|", "|resmon", "resmon| ", "|resmon| ", "QUIK|GetApp1|",
        "x", "abc ", "|resmoN| ", "\t"};

    private static int byNaiveSearch(byte[] b, int s, int e) {
        byte[] m = ResmonLineFilter.MARKER;
        for (int i = s; i + m.length <= e; i++) {
            boolean all = true;
            for (int k = 0; k < m.length && all; k++) {
                all = b[i + k] == m[k];
            }
            if (all) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void agreesWithANaiveSearchOnMessagesMadeOfMarkerPieces() {
        Random r = new Random(5);
        for (int round = 0; round < 50_000; round++) {
            StringBuilder sb = new StringBuilder();
            int pieces = r.nextInt(12);
            for (int k = 0; k < pieces; k++) {
                sb.append(PIECES[r.nextInt(PIECES.length)]);
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
            int s = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            int e = s + r.nextInt(b.length - s + 1);
            assertEquals(byNaiveSearch(b, s, e), ResmonLineFilter.marker(b, s, e), () -> "'" + sb + "'");
        }
    }

    @Test
    void realLineShapes() {
        byte[] line = "[1296] app0.exe|resmon| threads used 4, sync object used 9".getBytes(StandardCharsets.US_ASCII);
        assertEquals(15, ResmonLineFilter.marker(line, 7, line.length));
        byte[] other = "[9528] QUIK|GetApp1|resmon|x".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, ResmonLineFilter.marker(other, 0, other.length));
        byte[] atEnd = "a.exe|resmon| ".getBytes(StandardCharsets.US_ASCII);
        assertEquals(5, ResmonLineFilter.marker(atEnd, 0, atEnd.length));
        assertEquals(-1, ResmonLineFilter.marker(atEnd, 0, atEnd.length - 1)); // the space is past the message
    }
}
