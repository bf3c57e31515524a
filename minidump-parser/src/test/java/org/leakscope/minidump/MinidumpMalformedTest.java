package org.leakscope.minidump;

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

    @Test
    void truncationAtEveryOffsetOfTheSample() throws Exception {
        byte[] full = sample();
        int opened = 0;
        for (int n = 0; n < full.length; n += n < 512 ? 1 : 7) {
            if (DumpExerciser.exercise(write(Arrays.copyOf(full, n)))) {
                opened++;
            }
        }
        assertTrue(opened > 0, "truncations past the directory still open and report damage");
    }

    @Test
    void truncatedHeaderNamesOffsetAndExpectation() throws Exception {
        Path p = write(Arrays.copyOf(sample(), 20));
        InputFormatException e = org.junit.jupiter.api.Assertions.assertThrows(InputFormatException.class,
                () -> Minidump.open(p).close());
        assertTrue(e.getMessage().contains("at byte offset 0"), e.getMessage());
        assertTrue(e.getMessage().contains("expected a 32-byte minidump header"), e.getMessage());
    }

    @Test
    void randomBitFlips() throws Exception {
        byte[] full = sample();
        Random random = new Random(20261122);
        for (int i = 0; i < 3000; i++) {
            byte[] b = full.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int bit = random.nextInt(b.length * 8);
                b[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            DumpExerciser.exercise(write(b));
        }
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
                        assertTrue(DumpExerciser.exercise(p), "header and directory are intact, so it opens");
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
                    DumpExerciser.exercise(p);
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
            for (int i = 0; i < 300; i++) {
                byte[] b = full.clone();
                // Damage concentrated in the first 8 KB, where directories and stream headers live.
                int bit = random.nextInt(Math.min(b.length, 8192) * 8);
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                DumpExerciser.exercise(write(b));
            }
        }
    }

    @Test
    void corpusMalformedDumpsReportDamage() throws Exception {
        for (String name : new String[] {"malformed/invalid-range.dmp", "malformed/invalid-record-count.dmp",
            "malformed/r2_trunc_memory64.dmp"}) {
            Path p = Corpus.file(name);
            assertTrue(DumpExerciser.exercise(p));
            try (Minidump d = Minidump.open(p)) {
                DumpExerciser.exercise(p);
                d.threads();
                d.memory64List();
                d.modules();
                assertFalse(d.problems().isEmpty(), name + " has damage that must be reported");
            }
        }
    }

    private int counter;

    private Path write(byte[] bytes) throws Exception {
        Path p = dir.resolve("d" + (counter++ % 8) + ".dmp");
        Files.write(p, bytes);
        return p;
    }
}
