package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;

class DebugViewReaderTest {
    @TempDir
    Path tmp;

    private static Path testdata(String name) {
        return Path.of("..", "testdata", "dbgview", name);
    }

    private static List<DebugViewRecord> readAll(Path p, DebugViewOptions o) throws IOException {
        try (DebugViewReader r = DebugViewReader.open(p, o)) {
            List<DebugViewRecord> out = new ArrayList<>();
            for (DebugViewRecord rec = r.next(); rec != null; rec = r.next()) {
                out.add(rec);
            }
            assertEquals(List.of(), r.problems());
            return out;
        }
    }

    @Test
    void realCp1251LogFromTheCorpus() throws IOException {
        Path p = TestCorpus.file("dbgview/lithium_dbgview_cp1251.log");
        DebugViewOptions o = DebugViewOptions.defaults().withAnsiCharset(Charset.forName("windows-1251"));
        try (DebugViewReader r = DebugViewReader.open(p, o)) {
            DebugViewRecord first = r.next();
            assertEquals("FELIX-GATEWAY", r.computer());
            assertEquals(2, first.line());
            assertEquals(223L, first.sequence());
            assertEquals(80.28534698, first.elapsedSeconds());
            assertNull(first.clockTime());
            assertEquals(9528L, first.processId());
            assertEquals("QUIK|GetApp1|10573|11-10--12:30", first.message());
        }
        List<DebugViewRecord> all = readAll(p, o);
        assertEquals(1529, all.size());
        Map<Long, Integer> perPid = new TreeMap<>();
        all.forEach(x -> perPid.merge(x.processId(), 1, Integer::sum));
        assertEquals(Map.of(9528L, 1399, 14988L, 63, 21576L, 63, 15960L, 2, 16096L, 1, 8956L, 1), perPid);
        DebugViewRecord cyrillic = all.stream().filter(x -> x.sequence() == 1094).findFirst().orElseThrow();
        assertEquals("Unknown error code: 0xc0000022 Отказано в доступе. ", cyrillic.message(), "trailing blank kept");
        // one multi-line message: records 1051 and 1052 share a time
        DebugViewRecord a = all.stream().filter(x -> x.sequence() == 1051).findFirst().orElseThrow();
        DebugViewRecord b = all.stream().filter(x -> x.sequence() == 1052).findFirst().orElseThrow();
        assertEquals(a.elapsedSeconds(), b.elapsedSeconds());
        assertEquals(a.line() + 1, b.line());
    }

    @Test
    void clockTimeKernelLinesAndTheTrailingTab() throws IOException {
        try (DebugViewReader r = DebugViewReader.open(testdata("clock_kernel_trailing_tab.log"), DebugViewOptions.defaults())) {
            List<DebugViewRecord> all = new ArrayList<>();
            for (DebugViewRecord x = r.next(); x != null; x = r.next()) {
                all.add(x);
            }
            assertEquals("BUILD-07", r.computer());
            assertEquals(5, all.size());
            assertNull(all.get(0).processId(), "[Driver] is kernel text, not a pid");
            assertEquals("[Driver] resmonDriverEntry(): started", all.get(0).message());
            assertEquals(LocalTime.of(17, 48, 44), all.get(0).clockTime());
            assertEquals("kernelmode_test.sys|resmon| threads used 2, sync object used 1, memory used 4096",
                    all.get(1).message());
            assertEquals(2540L, all.get(2).processId());
            assertEquals("notepad.exe|resmon| threads used 3, sync object used 2, memory used 81920", all.get(2).message());
            assertNull(all.get(3).processId());
            assertEquals(" ", all.get(4).message());
        }
    }

    /** The NUL test finds a zero byte anywhere in any range, next to bytes one bit away from zero. */
    @Test
    void nulByteInEveryRange() {
        java.util.Random r = new java.util.Random(3);
        for (int round = 0; round < 3_000; round++) {
            byte[] b = new byte[1 + r.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (1 << r.nextInt(8)); // never zero; 0x01 and 0x80 are the has-zero test's traps
            }
            if (r.nextBoolean()) {
                b[r.nextInt(b.length)] = 0;
            }
            for (int s = 0; s <= b.length; s++) {
                for (int e = s; e <= b.length; e++) {
                    boolean expected = false;
                    for (int i = s; i < e; i++) {
                        expected |= b[i] == 0;
                    }
                    assertEquals(expected, DebugViewReader.hasNul(b, s, e), "round " + round + " [" + s + ", " + e + ")");
                }
            }
        }
    }

    /**
     * SEQ and elapsed seconds read the same whatever their width: DebugView's own eight digits (read a word at a
     * time) and the shorter or longer ones other tools and hand edits leave.
     */
    @Test
    void sequenceAndElapsedOfEveryWidth() throws IOException {
        java.util.Random r = new java.util.Random(12);
        StringBuilder log = new StringBuilder();
        List<long[]> expected = new ArrayList<>(); // sequence, whole seconds, fraction, decimals
        for (int i = 0; i < 3_000; i++) {
            int seqDigits = 1 + r.nextInt(12);
            long seq = (long) (r.nextDouble() * Math.pow(10, seqDigits));
            int decimals = 1 + r.nextInt(12);
            long whole = r.nextInt(100_000);
            long frac = (long) (r.nextDouble() * Math.pow(10, decimals));
            log.append(String.format("%0" + seqDigits + "d\t%d.%0" + decimals + "d\t[12] x.exe|resmon| line %d%n",
                    seq, whole, frac, i));
            expected.add(new long[] {seq, whole, frac, decimals});
        }
        Path p = tmp.resolve("widths.log");
        Files.writeString(p, log.toString());
        List<DebugViewRecord> all = readAll(p, DebugViewOptions.defaults());
        assertEquals(expected.size(), all.size());
        for (int i = 0; i < all.size(); i++) {
            long[] x = expected.get(i);
            double scale = 1;
            for (int d = 0; d < x[3]; d++) {
                scale *= 10;
            }
            assertEquals(x[0], all.get(i).sequence(), "line " + (i + 1));
            assertEquals(x[1] + x[2] / scale, all.get(i).elapsedSeconds(), "line " + (i + 1));
        }
    }

    @Test
    void elapsedThenClockTimeInOneFile() throws IOException {
        List<DebugViewRecord> all = readAll(testdata("mixed_time_formats_crlf.log"), DebugViewOptions.defaults());
        assertEquals(12.5, all.get(0).elapsedSeconds());
        assertEquals(all.get(0).elapsedSeconds(), all.get(1).elapsedSeconds());
        assertEquals(LocalTime.of(9, 15, 2), all.get(2).clockTime());
        assertEquals(LocalTime.of(9, 15, 2, 125_000_000), all.get(3).clockTime());
        assertEquals(LocalTime.of(21, 15, 3), all.get(4).clockTime());
        assertEquals("twelve-hour clock", all.get(4).message());
    }

    @Test
    void plainCaptureWithoutColumns() throws IOException {
        List<DebugViewRecord> all = readAll(testdata("plain_capture.log"), DebugViewOptions.defaults());
        assertEquals(3, all.size());
        assertNull(all.get(0).sequence());
        assertEquals(2540L, all.get(1).processId());
        assertEquals("notepad.exe|resmon| update thread limit: 10 to 20", all.get(1).message());
        assertEquals(4, all.get(2).line());
    }

    @Test
    void utf16LeWithBomReadsTheSame() throws IOException {
        String text = Files.readString(testdata("mixed_time_formats_crlf.log"));
        Path p = tmp.resolve("u16.log");
        byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] out = new byte[body.length + 2];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xFE;
        System.arraycopy(body, 0, out, 2, body.length);
        Files.write(p, out);
        assertEquals(readAll(testdata("mixed_time_formats_crlf.log"), DebugViewOptions.defaults()).toString(),
                readAll(p, DebugViewOptions.defaults()).toString());
    }

    @Test
    void damage() throws IOException {
        String good = Files.readString(testdata("mixed_time_formats_crlf.log"));
        Path garbage = tmp.resolve("garbage.log");
        Files.writeString(garbage, good.replace("00000059", "garbage line\r\n00000059"));
        try (DebugViewReader r = DebugViewReader.open(garbage, DebugViewOptions.defaults())) {
            int n = 0;
            while (r.next() != null) {
                n++;
            }
            assertEquals(5, n);
            assertEquals(1, r.problems().size());
            assertEquals(3L, r.problems().get(0).line());
        }
        InputFormatException strict = assertThrows(InputFormatException.class, () -> {
            try (DebugViewReader r = DebugViewReader.open(garbage, DebugViewOptions.defaults().withStrict(true))) {
                while (r.next() != null) {
                    // read all
                }
            }
        });
        assertEquals(3L, strict.line());

        Path binary = tmp.resolve("binary.log");
        byte[] b = Arrays.copyOf(good.getBytes(StandardCharsets.US_ASCII), good.length() + 16);
        Files.write(binary, b);
        InputFormatException bin = assertThrows(InputFormatException.class, () -> readAll(binary, DebugViewOptions.defaults()));
        assertTrue(bin.getMessage().contains("binary data"), bin.getMessage());

        Path longLine = tmp.resolve("long.log");
        try (OutputStream out = Files.newOutputStream(longLine)) {
            out.write("00000001\t1.00000000\t".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 10; i++) {
                out.write(chunk);
            }
            out.write("\n00000002\t2.00000000\t[1] after\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (DebugViewReader r = DebugViewReader.open(longLine, DebugViewOptions.defaults())) {
            DebugViewRecord x = r.next();
            assertEquals("after", x.message());
            assertEquals(1, r.problems().size());
            assertEquals(1L, r.problems().get(0).line());
        }
    }
}
