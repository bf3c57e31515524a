package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan for table magics: every aligned magic found, whatever the alignment and the windows. */
class ResmonTableScanTest {
    private static final long MAGIC = ResmonTableScan.MAGIC;

    @TempDir
    Path tmp;

    /**
     * A range that starts off 8-byte alignment, read in windows of 40 bytes: a magic at each aligned position,
     * many of them across two windows. Each is found (as a problem: none is a live table).
     */
    @Test
    void magicsAcrossWindowBoundariesAreFound() throws IOException {
        long start = 0x10004; // windows start at 4 mod 8, so aligned magics straddle their ends
        int magics = 40;
        ByteBuffer data = ByteBuffer.allocate(4 + magics * 24).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> placed = new ArrayList<>();
        for (int k = 0; k < magics; k++) {
            int at = 4 + k * 24; // every third aligned word: a gap of 8 bytes between magics
            data.putLong(at, MAGIC);
            data.putLong(at + 8, ~MAGIC);
            placed.add(start + at);
        }
        Path dump = tmp.resolve("windows.dmp");
        new SyntheticDumpBuilder().memoryList(List.of(start), List.of(data.array())).write(dump);
        try (Minidump m = Minidump.open(dump)) {
            for (int window : new int[] {40, 64, 1 << 20}) {
                ResmonTableScan.Result r = ResmonTableScan.scan(m.memory(), null, window);
                assertEquals(0, r.tables().size());
                List<Long> seen = new ArrayList<>();
                for (var p : r.problems()) {
                    String s = p.message();
                    int at = s.indexOf("0x");
                    seen.add(Long.parseUnsignedLong(s.substring(at + 2, s.indexOf(' ', at)), 16));
                }
                assertEquals(placed, seen, "window " + window);
            }
        }
    }
}
