package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;

/**
 * Damaged logs, generated from the hand-written ones: the reader reports lines it cannot use (warnings with
 * line numbers, or an InputFormatException with file and line) and never fails any other way. Runs under the
 * build's -Xmx256m, so nothing may be sized by what the file claims.
 */
class UmdhMalformedTest {
    @TempDir
    Path tmp;

    private static final byte[] LEAKY = read("leaky_1.log");
    private static final byte[] COMPARE = read("compare_hex.txt");

    private static byte[] read(String name) {
        try {
            return Files.readAllBytes(TestFiles.testdata(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void truncatedAtEveryByte() throws IOException {
        for (int cut = 0; cut < LEAKY.length; cut += 7) {
            exercise(Arrays.copyOf(LEAKY, cut), "cut at " + cut);
        }
        for (int cut = 0; cut < COMPARE.length; cut += 5) {
            exercise(Arrays.copyOf(COMPARE, cut), "compare cut at " + cut);
        }
    }

    @Test
    void truncatedMidRecordIsAWarningAtItsLine() throws IOException {
        String text = new String(LEAKY, StandardCharsets.ISO_8859_1);
        int cut = text.indexOf("100 bytes + 20 at 2E9FB00") + 12; // "100 bytes + "
        Path p = write(Arrays.copyOf(LEAKY, cut));
        UmdhSnapshotLog log = UmdhSnapshotReader.read(p, UmdhOptions.defaults());
        Problem last = log.snapshot().problems().get(log.snapshot().problems().size() - 1);
        long line = text.substring(0, cut).chars().filter(c -> c == '\n').count() + 1;
        assertEquals(line, last.line());
        assertTrue(last.message().contains("truncated"), last.message());
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> UmdhSnapshotReader.read(p, UmdhOptions.defaults().withStrict(true)));
        assertEquals(line, e.line());
        assertTrue(e.getMessage().startsWith(p + ": line " + line + ": expected"), e.getMessage());
    }

    /**
     * A log cut at a line boundary has no damaged line: only the missing "End of data" marker tells. Every cut
     * inside a heap section is a warning naming the heap and the last line (an error under --strict); a cut
     * after the header but before any heap too; a cut between two heaps cannot be seen and reads clean.
     */
    @Test
    void aLogCutAtALineBoundaryIsNamedTruncated() throws IOException {
        String text = new String(LEAKY, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n", -1);
        String heap = null;
        boolean afterHeader = false;
        int insideHeap = 0;
        for (int k = 1; k < lines.length; k++) {
            String last = lines[k - 1];
            afterHeader |= last.contains("UMDH: version");
            if (last.contains("Start of data for heap @ ")) {
                heap = last.replaceAll(".*heap @ ([0-9A-F]+) .*", "$1");
            } else if (last.contains("End of data for heap @ ")) {
                heap = null;
            }
            String cut = String.join("\n", java.util.List.of(lines).subList(0, k)) + "\n";
            Path p = write(cut.getBytes(StandardCharsets.ISO_8859_1));
            if (!afterHeader) {
                continue; // not yet a UMDH log: notAUmdhLogAtAll covers it
            }
            UmdhOptions strict = UmdhOptions.defaults().withStrict(true);
            if (heap != null) {
                insideHeap++;
                UmdhSnapshotLog lenient = UmdhSnapshotReader.read(p, UmdhOptions.defaults());
                Problem w = lenient.snapshot().problems().get(lenient.snapshot().problems().size() - 1);
                assertEquals(k, w.line(), "cut after line " + k);
                assertEquals(p + ": line " + k + ": expected 'End of data for heap @ " + heap + "' (heap " + heap
                        + " starts at line " + startLine(lines, heap) + "), found the end of the file: the snapshot"
                        + " ends inside heap " + heap + ": truncated?", w.message());
                InputFormatException e = assertThrows(InputFormatException.class,
                        () -> UmdhSnapshotReader.read(p, strict), "cut after line " + k);
                assertEquals((long) k, e.line());
                assertTrue(e.getMessage().contains("truncated?"), e.getMessage());
            } else if (text.indexOf("Start of data for heap") > cut.length()) {
                InputFormatException e = assertThrows(InputFormatException.class,
                        () -> UmdhSnapshotReader.read(p, strict), "cut after line " + k);
                assertTrue(e.getMessage().contains("the snapshot ends before its first heap: truncated?"),
                        e.getMessage());
            } else {
                assertEquals(java.util.List.of(), UmdhSnapshotReader.read(p, strict).snapshot().problems(),
                        "cut after line " + k + ", between heaps");
            }
        }
        assertTrue(insideHeap > 30, "cuts inside a heap: " + insideHeap);
    }

    private static int startLine(String[] lines, String heap) {
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("Start of data for heap @ " + heap + " ")) {
                return i + 1;
            }
        }
        throw new AssertionError(heap);
    }

    @Test
    void aHeapStartingBeforeTheLastOneEndedIsNamed() throws IOException {
        String text = new String(LEAKY, StandardCharsets.ISO_8859_1);
        String end = "*- - - - - - - - - - End of data for heap @ 2E60000 - - - - - - - - - -\n";
        assertTrue(text.contains(end));
        Path p = write(text.replace(end, "").getBytes(StandardCharsets.ISO_8859_1));
        UmdhSnapshotLog log = UmdhSnapshotReader.read(p, UmdhOptions.defaults());
        assertEquals(1, log.snapshot().problems().size(), log.snapshot().problems().toString());
        assertTrue(log.snapshot().problems().get(0).message().contains(
                "found the start of heap 1D890000: heap 2E60000 is cut short"), log.snapshot().problems().toString());
        assertThrows(InputFormatException.class,
                () -> UmdhSnapshotReader.read(p, UmdhOptions.defaults().withStrict(true)));
    }

    @Test
    void garbageLinesAreListedWithTheirNumbers() throws IOException {
        String text = new String(LEAKY, StandardCharsets.ISO_8859_1);
        String damaged = text.replace("100 bytes + 20 at 2E9FB00 by BackTrace1AF06BFC",
                "this is not a record\n100 bytes + 20 at 2E9FB00 by BackTrace1AF06BFC");
        UmdhSnapshotLog log = UmdhSnapshotReader.read(write(damaged.getBytes(StandardCharsets.ISO_8859_1)),
                UmdhOptions.defaults());
        assertEquals(1, log.snapshot().problems().size());
        long line = damaged.substring(0, damaged.indexOf("this is not")).chars().filter(c -> c == '\n').count() + 1;
        assertEquals(line, log.snapshot().problems().get(0).line());
        assertEquals(0x100, UmdhSnapshotReaderTest.byId(log.snapshot()).get("1AF06BFC").bytes(), "the rest is read");
    }

    @Test
    void absurdNumbers() throws IOException {
        String base = "*- - - - - - - - - - Heap 0 Hogs - - - - - - - - - -\n";
        // 17 hex digits: not a 64-bit number
        UmdhSnapshotLog l = UmdhSnapshotReader.read(write((base + "1FFFFFFFFFFFFFFFF bytes + 0 at 0 by BackTrace1\n")
                .getBytes(StandardCharsets.US_ASCII)), UmdhOptions.defaults());
        assertEquals(1, l.snapshot().problems().size());
        assertEquals(2L, l.snapshot().problems().get(0).line());
        // sums past 2^63: an error naming the line
        String big = base + "7FFFFFFFFFFFFFFF bytes + 0 at 0 by BackTrace1\n7FFFFFFFFFFFFFFF bytes + 0 at 0 by BackTrace1\n";
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> UmdhSnapshotReader.read(write(big.getBytes(StandardCharsets.US_ASCII)), UmdhOptions.defaults()));
        assertEquals(3L, e.line());
        // a summary record claiming 2^60 allocations allocates nothing
        String many = base + "10 bytes in 0xFFFFFFFFFFFFFFF allocations (@ 0x10) by: BackTrace2\n";
        UmdhSnapshotLog m = UmdhSnapshotReader.read(write(many.getBytes(StandardCharsets.US_ASCII)), UmdhOptions.defaults());
        assertEquals(0xFFFFFFFFFFFFFFFL, m.snapshot().aggregates().get(0).count());
    }

    @Test
    void aTenMegabyteLineIsSkippedNotBuffered() throws IOException {
        Path p = tmp.resolve("long.log");
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(LEAKY, 0, LEAKY.length / 2);
            out.write('\n');
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'A');
            for (int i = 0; i < 10; i++) {
                out.write(chunk);
            }
            out.write('\n');
            out.write(LEAKY, LEAKY.length / 2, LEAKY.length - LEAKY.length / 2);
        }
        UmdhSnapshotLog l = UmdhSnapshotReader.read(p, UmdhOptions.defaults());
        assertTrue(l.snapshot().problems().stream().anyMatch(x -> x.message().contains("longer line")),
                l.snapshot().problems().toString());
        assertThrows(InputFormatException.class,
                () -> UmdhSnapshotReader.read(p, UmdhOptions.defaults().withStrict(true)));
    }

    @Test
    void binaryDataIsAnError() throws IOException {
        byte[] b = Arrays.copyOf(LEAKY, LEAKY.length + 64);
        for (int i = LEAKY.length; i < b.length; i++) {
            b[i] = (byte) (i % 7 == 0 ? 0 : i);
        }
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> UmdhSnapshotReader.read(write(b), UmdhOptions.defaults()));
        assertTrue(e.getMessage().contains("binary data"), e.getMessage());
        assertTrue(e.line() != null && e.line() > 30, e.getMessage());
    }

    @Test
    void notAUmdhLogAtAll() throws IOException {
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> UmdhSnapshotReader.read(write("hello\n".repeat(3).getBytes(StandardCharsets.US_ASCII)),
                        UmdhOptions.defaults()));
        assertTrue(e.getMessage().contains("expected a UMDH snapshot log"), e.getMessage());
        assertThrows(InputFormatException.class,
                () -> UmdhSnapshotReader.read(write(new byte[0]), UmdhOptions.defaults()));
    }

    @Test
    void randomBitFlips() throws IOException {
        Random r = new Random(42);
        for (int i = 0; i < 400; i++) {
            byte[] src = i % 2 == 0 ? LEAKY : COMPARE;
            byte[] b = src.clone();
            for (int k = 0; k < 1 + r.nextInt(8); k++) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            exercise(b, "flip round " + i);
        }
    }

    /** Both readers: a result with problems, or an InputFormatException; anything else fails the test. */
    private void exercise(byte[] data, String what) throws IOException {
        Path p = write(data);
        for (int reader = 0; reader < 2; reader++) {
            try {
                if (reader == 0) {
                    UmdhSnapshotReader.read(p, UmdhOptions.defaults());
                } else {
                    UmdhCompareReader.read(p, UmdhOptions.defaults());
                }
            } catch (InputFormatException expected) {
                assertTrue(expected.getMessage().startsWith(p.toString()), expected.getMessage());
            } catch (RuntimeException e) {
                fail(what + ": " + e, e);
            }
        }
    }

    private int n;

    private Path write(byte[] b) throws IOException {
        Path p = tmp.resolve("case" + (n++) + ".log");
        Files.write(p, b);
        return p;
    }
}
