package org.leakscope.textio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three encodings Windows tools write logs in reach the readers as one byte encoding, line by line. */
class TextLinesTest {
    private static final Charset CP1252 = Charset.forName("windows-1252");

    private static List<String> lines(Path p, int max, List<String> encoding) throws IOException {
        List<String> out = new ArrayList<>();
        try (TextLines t = TextLines.open(p, max, null)) {
            encoding.add(t.encoding());
            while (t.next()) {
                out.add(t.number() + ":" + t.text(CP1252) + (t.tooLong() ? " (cut)" : ""));
            }
        }
        return out;
    }

    @Test
    void ansiAndUtf8WithCrLfOrLf(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("a.log");
        byte[] ansi = "caf\u00e9\r\nna\u00efve\nlast".getBytes(CP1252);
        Files.write(p, ansi);
        List<String> enc = new ArrayList<>();
        assertEquals(List.of("1:caf\u00e9", "2:na\u00efve", "3:last"), lines(p, 100, enc));
        assertEquals(List.of("bytes"), enc);
        Files.write(p, "\uFEFF\u0421\u0435\u0440\u0432\u0435\u0440\n".getBytes(StandardCharsets.UTF_8));
        enc.clear();
        assertEquals(List.of("1:\u0421\u0435\u0440\u0432\u0435\u0440"), lines(p, 100, enc));
        assertEquals(List.of("UTF-8"), enc);
    }

    /**
     * A line's file offset names its bytes exactly, across buffer refills (lines of 3 MiB of text cross the 1 MiB
     * chunks at every alignment) and after a UTF-8 mark; a transcoded file has none.
     */
    @Test
    void lineOffsetsNameTheLinesBytes(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("o.log");
        StringBuilder sb = new StringBuilder("\uFEFF");
        for (int i = 0; sb.length() < 3 << 20; i++) {
            sb.append("line ").append(i).append(" ").append("x".repeat(i % 97)).append(i % 5 == 0 ? "\r\n" : "\n");
        }
        Files.write(p, sb.toString().getBytes(StandardCharsets.UTF_8));
        byte[] file = Files.readAllBytes(p);
        int lines = 0;
        try (TextLines t = TextLines.open(p, 4096, null)) {
            while (t.next()) {
                long at = t.lineOffset();
                String expected = new String(t.bytes(), t.start(), t.length(), StandardCharsets.UTF_8);
                assertEquals(expected, new String(file, (int) at, t.length(), StandardCharsets.UTF_8), "line " + t.number());
                lines++;
            }
        }
        assertTrue(lines > 30_000, "lines read: " + lines);
        Files.write(p, "one\ntwo\n".getBytes(StandardCharsets.UTF_16LE));
        try (TextLines t = TextLines.open(p, 100, null)) {
            assertTrue(t.next());
            assertEquals(-1, t.lineOffset());
        }
    }

    /** PowerShell's {@code >} writes UTF-16LE with a mark; some tools write it without one. */
    @Test
    void utf16LittleEndianWithAndWithoutAMark(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("u.log");
        Files.write(p, "\uFEFFone\r\ntw\u00f6\r\n".getBytes(StandardCharsets.UTF_16LE));
        List<String> enc = new ArrayList<>();
        assertEquals(List.of("1:one", "2:tw\u00f6"), lines(p, 100, enc));
        Files.write(p, "one\ntwo\n".getBytes(StandardCharsets.UTF_16LE));
        assertEquals(List.of("1:one", "2:two"), lines(p, 100, enc));
        assertEquals(List.of("UTF-16LE", "UTF-16LE"), enc);
    }

    @Test
    void aLongLineIsCutAndTheRestSkipped(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("long.log");
        Files.writeString(p, "x".repeat(50) + "\nshort\n");
        List<String> got = lines(p, 10, new ArrayList<>());
        assertEquals(List.of("1:" + "x".repeat(10) + " (cut)", "2:short"), got);
        assertTrue(got.get(0).endsWith("(cut)"));
        assertFalse(got.get(1).endsWith("(cut)"));
    }

    /** The newline search finds the first '\n' wherever it sits in a word, with other newlines or 0x0B after it. */
    @Test
    void firstNewlineAtEveryPositionOfAWord() {
        java.util.Random random = new java.util.Random(21);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[1 + random.nextInt(72)];
            int rarity = 2 + random.nextInt(64); // some lines end in their first word, some several words on
            for (int i = 0; i < b.length; i++) {
                // 0x0B is '\n' + 1: the has-byte test marks it as a false match, but only above a real one
                b[i] = (byte) (random.nextInt(4) == 0 ? 0x0B : random.nextInt(rarity) == 0 ? '\n' : 'a' + i % 26);
            }
            int from = random.nextInt(b.length);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = b[i] == '\n' ? i : -1;
            }
            assertEquals(expected, TextLines.indexOfNewline(b, from, to), () -> java.util.Arrays.toString(b));
        }
        for (int k = 0; k < 8; k++) {
            long lowestAndAbove = 0x8080808080808080L << (8 * k);
            assertEquals(k, TextLines.firstMarkedByte(lowestAndAbove));
        }
    }
}
