package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lines read from any offset, through a buffer that starts at {@link LineReader#FIRST_READ} bytes and grows, and
 * from the file mapped whole: lines shorter and longer than each size the buffer passes, CR LF and LF, a last line
 * without an end, and lines past the longest kept (cut and flagged).
 */
class LineReaderTest {
    /** A reader of the file from {@code start}: through the channel, or over the file mapped whole. */
    private static LineReader reader(FileChannel ch, boolean mapped, long start, int maxLine) throws Exception {
        return mapped ? LineReader.over(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()), start, maxLine)
                : new LineReader(ch, start, maxLine);
    }

    @ParameterizedTest(name = "mapped {0}")
    @ValueSource(booleans = {false, true})
    void everyLineComesBackWhateverItsLengthAndWhereReadingStarts(boolean mapped, @TempDir Path dir)
            throws Exception {
        Random r = new Random(7);
        List<String> lines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<Long> starts = new ArrayList<>();
        int[] lengths = {0, 1, 4094, 4095, 4096, 4097, 8191, 8193, 20_000, 65_535, 65_536, 100, 30_000, 3};
        for (int i = 0; i < 60; i++) {
            int n = i < lengths.length ? lengths[i] : r.nextInt(10_000);
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < n; k++) {
                line.append((char) ('a' + r.nextInt(26)));
            }
            starts.add((long) text.length());
            lines.add(line.toString());
            text.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        text.setLength(text.length() - 1); // the last line has no end (LF cut; "\r\n" lines are every third)
        Path file = dir.resolve("lines.txt");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int from = 0; from < lines.size(); from += 7) {
                LineReader reader = reader(ch, mapped, starts.get(from), 65_536);
                for (int i = from; i < lines.size(); i++) {
                    String got = reader.readLine();
                    assertEquals(starts.get(i), reader.lineStart, "line " + i + " from " + from);
                    assertEquals(lines.get(i), got, "line " + i + " (" + lines.get(i).length() + " chars) from "
                            + from);
                    assertFalse(reader.lastLineTooLong());
                }
                assertNull(reader.readLine());
            }
        }
    }

    @ParameterizedTest(name = "mapped {0}")
    @ValueSource(booleans = {false, true})
    void aLinePastTheLongestKeptIsCutAndTheNextReadWhole(boolean mapped, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("long.txt");
        Files.writeString(file, "x".repeat(200_000) + "\nnext\n", StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            LineReader reader = reader(ch, mapped, 0, 65_536);
            assertEquals("x".repeat(65_536), reader.readLine());
            assertTrue(reader.lastLineTooLong());
            assertEquals("next", reader.readLine());
            assertEquals(200_001, reader.lineStart);
            assertNull(reader.readLine());
        }
    }
}
