package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.UsageSeries;

/**
 * A log cut into many small chunks, read on one to four threads, reads exactly as in one piece: the same runs,
 * series, reports, problems, or the same error. Chunk edges fall inside lines, between CR and LF, inside long
 * lines and the first 1,000 lines (where chunks read ahead are read again).
 */
class ChunkedReadTest {
    @TempDir
    Path tmp;

    private static final int[] CHUNKS = {7, 64, 333, 4096};

    @Test
    void everyTestLogReadsTheSameInChunks() throws IOException {
        List<Path> logs;
        try (Stream<Path> s = Files.list(Path.of("..", "testdata", "dbgview"))) {
            logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        assertTrue(logs.size() >= 10, "the test logs: " + logs);
        for (Path p : logs) {
            same(p, ResmonLogOptions.defaults());
        }
    }

    @Test
    void longFramedLogPastLine1000() throws IOException {
        // more than 1,000 lines, resmon runs ending and starting again, damage late in the file
        StringBuilder sb = new StringBuilder("[\\\\RIG]\r\n");
        int seq = 1;
        for (int i = 0; i < 3000; i++) {
            double t = 1 + i * 0.5;
            sb.append(String.format("%08d\t%.8f\t[77] chatter.exe: line %d\r\n", seq++, t, i));
            if (i % 3 == 0) {
                sb.append(String.format("%08d\t%.8f\t[%d] app.exe|resmon| threads used %d, sync object used 2,"
                        + " memory used %d\r\n", seq++, t, 100 + i / 700, 3 + i % 5, 1000 + i * 17));
            }
            if (i == 1500) {
                sb.append("garbage without columns\r\n");
            }
            if (i == 2000) {
                sb.append(String.format("%08d\t%.8f\t[9] app.exe|resmon| nonsense\r\n", seq++, t));
            }
        }
        Path p = tmp.resolve("long.log");
        Files.writeString(p, sb, StandardCharsets.ISO_8859_1);
        ResmonLog log = same(p, ResmonLogOptions.defaults());
        assertEquals(2, log.problems().size(), log.problems().toString());
        assertTrue(log.runs().size() >= 5);
        same(p, ResmonLogOptions.defaults().withDebugView(DebugViewOptions.defaults().withStrict(true)));
    }

    @Test
    void longLinesAndBinaryData() throws IOException {
        Limits small = new Limits(4_096, 100_000, 100_000, 4_000_000, 1_000_000, 64 * 1024, 256 * 1024 * 1024, 100);
        ResmonLogOptions o = ResmonLogOptions.defaults().withDebugView(
                new DebugViewOptions(small, false, DebugViewOptions.defaults().ansiCharset()));
        String x = "x".repeat(250);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1200; i++) {
            sb.append(String.format("%08d\t%d.5\t[5] a.exe|resmon| threads used 1, sync object used 2,"
                    + " memory used %d\n", i, i, i));
            if (i % 10 == 0) {
                sb.append(String.format("%08d\t%d.6\t[6] other.exe: hello %d\n", i, i, i));
            }
            if (i % 97 == 0) {
                sb.append(x).append(i % 2 == 0 ? "\r\n" : "\n");
            }
        }
        Path p = tmp.resolve("long-lines.log");
        Files.writeString(p, sb + x, StandardCharsets.ISO_8859_1); // ends inside a long line
        ResmonLog log = same(p, o);
        assertEquals(14, log.problems().size(), log.problems().toString());

        byte[] bytes = (sb + "tail").getBytes(StandardCharsets.ISO_8859_1);
        byte[] nul = Arrays.copyOf(bytes, bytes.length);
        int at = sb.indexOf("memory used 1100");
        nul[at + 3] = 0; // a resmon line past line 1,000 holding binary data
        Path bin = tmp.resolve("nul.log");
        Files.write(bin, nul);
        same(bin, o);
        nul = Arrays.copyOf(bytes, bytes.length);
        nul[sb.indexOf("other.exe: hello 300")] = 0; // any line among the first 1,000
        Files.write(bin, nul);
        same(bin, o);
    }

    /** Reads {@code p} whole and in chunks on 1 to 4 threads; all must agree. */
    private static ResmonLog same(Path p, ResmonLogOptions o) throws IOException {
        ResmonLog whole = null;
        String expected;
        try {
            whole = ResmonLogReader.read(p, o.withThreads(1), null, LogChunks.CHUNK);
            expected = describe(whole);
        } catch (InputFormatException e) {
            expected = e.getMessage();
        }
        for (int chunk : CHUNKS) {
            for (int threads = 1; threads <= 4; threads++) {
                String got;
                try {
                    got = describe(ResmonLogReader.read(p, o.withThreads(threads), null, chunk));
                } catch (InputFormatException e) {
                    got = e.getMessage();
                }
                assertEquals(expected, got, p + " in chunks of " + chunk + " bytes on " + threads + " threads");
            }
        }
        return whole;
    }

    static String describe(ResmonLog log) {
        List<String> parts = new ArrayList<>();
        parts.add(log.source() + " " + log.computer() + " " + log.encoding() + " " + log.framed() + " "
                + log.records() + " " + log.resmonLines() + " " + log.leftOut() + " " + log.leftOutCount());
        log.problems().forEach(p -> parts.add(p.message()));
        for (ResmonRun r : log.runs()) {
            parts.add(r.toString().replaceAll("@[0-9a-f]+", "@"));
            for (UsageSeries s : List.of(r.memory(), r.threads(), r.syncObjects(), r.cpuPercent(), r.diskBytes())) {
                parts.add(s.count() + " " + s.firstTime() + " " + s.firstValue() + " " + s.lastTime() + " "
                        + s.lastValue() + " " + s.peakValue() + " " + s.slope() + " " + s.slopeError() + " "
                        + Arrays.toString(s.segmentMeans()));
            }
        }
        return String.join("\n", parts);
    }
}
