package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.leakscope.model.InputFormatException;

/**
 * Generated damage to real dumps (the project's own sample and, when present, corpus dumps): truncation at
 * many points, bit flips, absurd counts and offsets in every stream. Runs under the surefire heap of 256 MB:
 * a damaged count must be rejected by arithmetic, never by trying to allocate.
 */
class MinidumpMalformedTest {
    @TempDir
    Path dir;

    private static byte[] sample() throws Exception {
        return Files.readAllBytes(Path.of("..", "testdata", "minidump", "sample.dmp"));
    }

    /**
     * Cut before the end of its directory, the sample cannot open; cut anywhere after, it opens and says what is
     * missing (its last stream ends the file, so every cut loses part of one).
     */
    @Test
    void truncationAtEveryOffsetOfTheSample() throws Exception {
        byte[] full = sample();
        long directoryEnd = directoryEnd(full);
        int opened = 0;
        for (int n = 0; n < full.length; n += n < 512 ? 1 : 7) {
            DumpExerciser.Outcome o = DumpExerciser.exercise(write(Arrays.copyOf(full, n)));
            assertEquals(n >= directoryEnd, o.opened(), "cut at " + n + ", directory ends at " + directoryEnd);
            if (o.opened()) {
                assertFalse(o.problems().isEmpty(), "cut at " + n + " of " + full.length + " is reported");
                opened++;
            }
        }
        assertTrue(opened > 1000, opened + " cuts opened");
    }

    /** Where the header and directory end: damage before it may be fatal, damage after it never is. */
    private long directoryEnd(byte[] dump) throws Exception {
        try (Minidump d = Minidump.open(write(dump))) {
            return d.header().directoryOffset() + 12 * d.header().streamCount();
        }
    }

    @Test
    void truncatedHeaderNamesOffsetAndExpectation() throws Exception {
        Path p = write(Arrays.copyOf(sample(), 20));
        InputFormatException e = org.junit.jupiter.api.Assertions.assertThrows(InputFormatException.class,
                () -> Minidump.open(p).close());
        assertTrue(e.getMessage().contains("at byte offset 0"), e.getMessage());
        assertTrue(e.getMessage().contains("expected a 32-byte minidump header"), e.getMessage());
    }

    /**
     * Flips outside the header and directory leave a dump that opens (damage there is a problem, never fatal);
     * flips in the signature leave a file that is no dump. Either way no accessor throws.
     */
    @Test
    void randomBitFlips() throws Exception {
        byte[] full = sample();
        long directoryEnd = directoryEnd(full);
        Random random = new Random(20261122);
        int damagedStreams = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = full.clone();
            int flips = 1 + random.nextInt(4);
            int lowest = Integer.MAX_VALUE;
            for (int f = 0; f < flips; f++) {
                int bit = random.nextInt(b.length * 8);
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                lowest = Math.min(lowest, bit / 8);
            }
            DumpExerciser.Outcome o = DumpExerciser.exercise(write(b));
            if (lowest >= directoryEnd) {
                assertTrue(o.opened(), "flips from byte " + lowest + " leave header and directory intact");
                damagedStreams += o.problems().isEmpty() ? 0 : 1;
            } else if (lowest < 4) {
                assertFalse(o.opened(), "a flipped signature byte is not a minidump");
            }
        }
        assertTrue(damagedStreams > 100, "stream damage is reported: " + damagedStreams + " of 3000");
    }

    @Test
    void absurdCountsAndOffsetsInEveryStream() throws Exception {
        byte[] full = sample();
        try (Minidump d = Minidump.open(write(full))) {
            for (StreamEntry e : d.streams()) {
                for (int field = 0; field < Math.min(e.size(), 24); field += 4) {
                    for (int value : new int[] {0xffffffff, 0x7fffffff, 0x10000000, (int) e.size() + 1}) {
                        byte[] b = full.clone();
                        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) e.offset() + field, value);
                        Path p = write(b);
                        assertTrue(DumpExerciser.exercise(p).opened(), "header and directory are intact, so it opens");
                    }
                }
                // The directory entry itself: a size or offset past the end of the file.
                long entryAt = d.header().directoryOffset() + 12L * e.index();
                for (int off : new int[] {4, 8}) {
                    byte[] b = full.clone();
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) entryAt + off, 0xfffffff0);
                    Path p = write(b);
                    try (Minidump damaged = Minidump.open(p)) {
                        assertFalse(damaged.problems().isEmpty(), "a stream outside the file is a warning at open");
                    }
                    DumpExerciser.Outcome o = DumpExerciser.exercise(p);
                    assertTrue(o.opened());
                    assertTrue(o.problems().get(0).message().contains("directory entry " + e.index()), o.problems()
                            .toString());
                }
            }
        }
    }

    @Test
    void absurdStreamCountInTheHeader() throws Exception {
        byte[] b = sample();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0xffffffff);
        InputFormatException e = org.junit.jupiter.api.Assertions.assertThrows(InputFormatException.class,
                () -> Minidump.open(write(b)).close());
        assertTrue(e.getMessage().contains("stream count of at most"), e.getMessage());
    }

    @Test
    void bitFlipsInCorpusDumps() throws Exception {
        Random random = new Random(7);
        for (String name : new String[] {"breakpad/minidump2.dmp", "windows/bo4server_win10_1607_x64_handles_meminfo.dmp",
            "breakpad/linux_null_dereference.dmp"}) {
            byte[] full = Files.readAllBytes(Corpus.file(name));
            long directoryEnd = directoryEnd(full);
            for (int i = 0; i < 300; i++) {
                byte[] b = full.clone();
                // Damage concentrated in the first 8 KB, where directories and stream headers live.
                int bit = random.nextInt(Math.min(b.length, 8192) * 8);
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                DumpExerciser.Outcome o = DumpExerciser.exercise(write(b));
                if (bit / 8 >= directoryEnd) {
                    assertTrue(o.opened(), name + ": a flip at byte " + bit / 8 + " is no reason to refuse it");
                } else if (bit / 8 < 4) {
                    assertFalse(o.opened(), name + ": a flipped signature is not a minidump");
                }
            }
        }
    }

    /** rust-minidump's and radare2's fuzz-found dumps: each opens and names the damage, stream by stream. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "malformed/invalid-range.dmp; 3; directory entry 2 (UserStream, type 0x10a0a) claims 118152704 bytes at offset"
            + " 363308947, past the end of the 276-byte file",
        "malformed/invalid-record-count.dmp; 12; directory entry 13 (unknown (vendor), type 0xffffffff) claims"
            + " 4294967295 bytes at offset 4294967295",
        "malformed/r2_trunc_memory64.dmp; 1; at byte offset 44 (0x2c): expected Memory64ListStream whose fields fit"
            + " its 16 bytes"})
    void corpusMalformedDumpsReportDamage(String name, int count, String damage) throws Exception {
        DumpExerciser.Outcome o = DumpExerciser.exercise(Corpus.file(name));
        assertTrue(o.opened(), name);
        assertEquals(count, o.problems().size(), o.problems().toString());
        assertTrue(o.problems().stream().anyMatch(p -> p.message().contains(damage)), o.problems().toString());
    }

    private int counter;

    private Path write(byte[] bytes) throws Exception {
        Path p = dir.resolve("d" + (counter++ % 8) + ".dmp");
        Files.write(p, bytes);
        return p;
    }
}
