package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan for table magics: every aligned magic found once, whatever the alignment and the windows. */
class ResmonTableScanTest {
    private static final long MAGIC = ResmonTableScan.MAGIC;

    @TempDir
    Path tmp;

    /** What the scan must find, the slow way: each 8-aligned (by address) position, both words read. */
    private static List<Long> reference(ByteBuffer b, long address) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i + 16 <= b.limit(); i++) {
            if (((address + i) & 7) == 0 && b.getLong(i) == MAGIC && b.getLong(i + 8) == ~MAGIC) {
                out.add(address + i);
            }
        }
        return out;
    }

    /** One magic at each aligned place of buffers of 16 to 48 bytes, at each address alignment: found once. */
    @Test
    void aMagicAnywhereIsFound() {
        for (int len = 16; len <= 48; len++) {
            for (long address = 0x1000; address < 0x1008; address++) {
                for (int at = (int) ((8 - (address & 7)) & 7); at + 16 <= len; at += 8) {
                    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
                    b.putLong(at, MAGIC).putLong(at + 8, ~MAGIC);
                    List<Long> hits = new ArrayList<>();
                    ResmonTableScan.find(b, address, hits);
                    assertEquals(List.of(address + at), hits, len + " bytes at " + address + ", magic at " + at);
                }
            }
        }
    }

    /**
     * Progress (a terminal line each) is told once per 16 MiB scanned, not once per window: 40 MiB of captured
     * memory in 64 KiB windows passes 16 and 32 MiB.
     */
    @Test
    void progressOncePer16MiB() throws IOException {
        Path dump = tmp.resolve("progress.dmp");
        new SyntheticDumpBuilder().memory64(0x7F0000000000L, 40L << 20).write(dump); // a hole: no disk blocks
        List<Long> told = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Minidump m = Minidump.open(dump)) {
            ResmonTableScan.Result r = ResmonTableScan.scan(m.memory(), told::add, 64 << 10);
            assertEquals(0, r.tables().size());
            assertEquals(2, told.size(), "progress told " + told.size() + " times");
            for (long bytes : told) {
                assertTrue(bytes >= 16L << 20 && bytes <= r.bytesScanned(), told.toString());
            }
        }
    }

    /** Buffers with magics, lone halves and misaligned copies at random places, at every address alignment. */
    @Test
    void findMatchesReadingEveryAlignedWord() {
        Random rnd = new Random(21);
        int found = 0;
        for (int round = 0; round < 3000; round++) {
            int len = rnd.nextInt(200);
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < len; i++) {
                b.put(i, (byte) rnd.nextInt(4)); // few distinct bytes: no accidental magic, many near misses
            }
            long address = 0x7FF000000000L + rnd.nextInt(64);
            for (int k = rnd.nextInt(6); k > 0 && len >= 8; k--) {
                int at = rnd.nextInt(len - 7);
                if (rnd.nextInt(4) > 0) { // mostly aligned by address, as tables are
                    at -= (int) ((address + at) & 7);
                    at = at < 0 ? at + 8 : at;
                }
                if (at + 8 > len) {
                    continue;
                }
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        b.putLong(at, MAGIC);
                        if (at + 16 <= len) {
                            b.putLong(at + 8, ~MAGIC);
                        }
                    }
                    case 1 -> b.putLong(at, MAGIC); // half a magic
                    default -> b.putLong(at, ~MAGIC);
                }
            }
            List<Long> expected = reference(b, address);
            List<Long> hits = new ArrayList<>();
            ResmonTableScan.find(b, address, hits);
            assertEquals(expected, new ArrayList<>(new TreeSet<>(hits)), "round " + round + " at " + address);
            assertEquals(expected.size(), hits.size(), "each magic once, round " + round);
            found += expected.size();
        }
        assertTrue(found > 1000, "the rounds placed magics: " + found);
    }

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
