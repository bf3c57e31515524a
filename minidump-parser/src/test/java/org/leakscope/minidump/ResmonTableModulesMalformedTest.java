package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.TableImageBuilder.Entry;
import org.leakscope.minidump.TableImageBuilder.ModuleChunk;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;

/**
 * Generated damage to a table's module list: counts too big, strings unterminated or past the end, chunks that
 * loop or are not captured, absurd sizes, then random bit flips. Damage there is a recorded problem naming the
 * chunk and what was wrong, never an error: the records are still read.
 */
class ResmonTableModulesMalformedTest {
    private static final long VA = TableImageBuilder.MODULE_CHUNK_VA;

    @TempDir
    Path tmp;

    /** One good module chunk (two modules), damaged by {@code damage} before it is written. */
    private TrackingTable read(Consumer<ModuleChunk> damage) throws IOException {
        TableImageBuilder b = new TableImageBuilder();
        b.at536 = VA;
        ModuleChunk c = new ModuleChunk(VA);
        long[] s = c.strings("/opt/app/leaker", "/lib/libc.so.6");
        c.entries.add(new Entry(0x555555554000L, 0x20000, s[0]).id(1, TableImageBuilder.bytes(1, 20)));
        c.entries.add(new Entry(0x7FFFF7800000L, 0x200000, s[1]));
        c.consistent();
        damage.accept(c);
        c.addTo(b);
        b.heap(0x1000, 100, 0x555555561234L);
        return ResmonTableTest.readImage(b.write(tmp.resolve("damaged.rmt")));
    }

    private static String problems(TrackingTable t) {
        return String.join("\n", t.problems().stream().map(Problem::message).toList());
    }

    /** The records survive any damage to the module list, and the problem says what and where. */
    private static void assertProblem(TrackingTable t, String... words) {
        assertEquals(1, t.liveRecords(), "the heap record is still read");
        String p = problems(t);
        assertTrue(p.contains("module chunk at 0x7f0000200000"), p);
        for (String w : words) {
            assertTrue(p.contains(w), "'" + w + "' in: " + p);
        }
        t.snapshot(); // and nothing downstream trips over what was read
    }

    @Test
    void usedAboveCapacity() throws IOException {
        TrackingTable t = read(c -> c.used = c.capacity + 1);
        assertProblem(t, "used 5 is above capacity 4");
        assertEquals(List.of(), t.modules());
    }

    @Test
    void capacityTooBigForAChunk() throws IOException {
        TrackingTable t = read(c -> {
            c.capacity = 0x7FFFFFFFL;
            c.used = 2;
        });
        assertProblem(t, "2147483647 entries of 96 bytes", "more than a module chunk can be");
        assertEquals(List.of(), t.modules());
    }

    @Test
    void stringsUsedAboveTheArea() throws IOException {
        assertProblem(read(c -> c.stringUsed = c.stringBytes + 1), "string_used 96 is above string_bytes 95");
    }

    @Test
    void entrySizeBelowTheContract() throws IOException {
        assertProblem(read(c -> c.entrySize = 40), "entry_size 40 is below the 96 bytes of an entry");
    }

    @Test
    void aPathOffsetPastTheEnd() throws IOException {
        TrackingTable t = read(c -> c.entries.get(1).pathOffset = 5000);
        assertProblem(t, "entry 1's path: offset 5000 is past the end of the string area (31 bytes in use)");
        assertEquals(2, t.modules().size(), "the entry stays, without its path");
        assertNull(t.modules().get(1).path());
        assertEquals(1, t.moduleMap().modules().size(), "a module without a path names no frame");
    }

    @Test
    void anUnterminatedString() throws IOException {
        TrackingTable t = read(c -> {
            c.strings = java.util.Arrays.copyOf(c.strings, c.strings.length - 1); // the last NUL cut off
            c.stringUsed = c.strings.length;
        });
        assertProblem(t, "entry 1's path: no NUL between offset 16 and the end of the string area", "unterminated");
        assertEquals("/opt/app/leaker", t.modules().get(0).path());
    }

    @Test
    void anIdLongerThanItsField() throws IOException {
        TrackingTable t = read(c -> c.entries.get(0).idLength = 40);
        assertProblem(t, "entry 0");
        assertEquals(1, t.modules().size(), "the damaged entry is skipped, the next is read");
    }

    @Test
    void aCodeViewIdThatIsNotAGuid() throws IOException {
        TrackingTable t = read(c -> c.entries.get(1).id(2, TableImageBuilder.bytes(0, 20)));
        assertProblem(t, "a CodeView id of 20 bytes");
        assertNull(t.modules().get(1).debugId());
    }

    @Test
    void aListThatLoops() throws IOException {
        TrackingTable t = read(c -> c.nextVa = VA);
        assertProblem(t, "loops");
        assertEquals(2, t.modules().size(), "read once");
    }

    @Test
    void aLinkToMemoryNotCaptured() throws IOException {
        TrackingTable t = read(c -> c.nextVa = 0x1234000L);
        assertTrue(problems(t).contains("module chunk at 0x1234000: not captured"), problems(t));
        assertEquals(2, t.modules().size());
    }

    @Test
    void aStringAreaNotCaptured() throws IOException {
        TrackingTable t = read(c -> c.stringsAt = VA + 0x8000); // not where the header says
        assertProblem(t, "string area", "is not captured: its modules have no paths");
        assertEquals(1, t.problems().size(), "one problem for the area, none per entry");
        assertEquals(2, t.modules().size());
    }

    @Test
    void aWrongMagicEndsTheList() throws IOException {
        assertProblem(read(c -> c.magic = 0x58585858L));
    }

    @Test
    void moreModulesThanTheLimit() throws IOException {
        TableImageBuilder b = new TableImageBuilder();
        b.at536 = VA;
        ModuleChunk c = new ModuleChunk(VA);
        for (int i = 0; i < 10; i++) {
            c.entries.add(new Entry(0x10000L * (i + 1), 0x1000, c.strings("/m" + i)[0]));
        }
        c.consistent().addTo(b);
        Path p = b.write(tmp.resolve("many.rmt"));
        Limits few = new Limits(4_096, 100_000, 5, 4_000_000, 1_000_000, 64 * 1024, 256 * 1024 * 1024, 1024 * 1024);
        try (TableImage img = TableImage.open(p, Limits.DEFAULT)) {
            TrackingTable t = ResmonTableReader.read(img, img.headerVa(), few);
            assertTrue(problems(t).contains("10 modules, more than the 5 a module list may hold"), problems(t));
            assertEquals(List.of(), t.modules());
        }
    }

    @Test
    void randomBitFlipsInTheModuleList() throws IOException {
        byte[] good = Files.readAllBytes(writeGood());
        int moduleBytes = moduleRangesStart(good);
        Random random = new Random(20261203);
        Path p = tmp.resolve("flipped.rmt");
        int problems = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] b = good.clone();
            for (int f = 0; f <= i % 4; f++) {
                int at = moduleBytes + random.nextInt(b.length - moduleBytes);
                b[at] ^= (byte) (1 << random.nextInt(8));
            }
            Files.write(p, b);
            try {
                TrackingTable t = ResmonTableTest.readImage(p);
                assertEquals(1, t.liveRecords(), "module damage never costs a record");
                t.snapshot();
                problems += t.problems().isEmpty() ? 0 : 1;
            } catch (InputFormatException e) { // a range header hit: the image itself no longer adds up
                assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            }
        }
        assertTrue(problems > 100, "damage was noticed " + problems + " times");
    }

    private Path writeGood() throws IOException {
        TableImageBuilder b = new TableImageBuilder();
        b.at536 = VA;
        ModuleChunk c = new ModuleChunk(VA);
        for (int i = 0; i < 8; i++) {
            c.entries.add(new Entry(0x10000L * (i + 1), 0x1000, c.strings("/lib/module" + i + ".so")[0])
                    .id(1 + i % 2, TableImageBuilder.bytes(i, 16 + 4 * (i % 2))));
        }
        c.consistent().addTo(b);
        b.heap(0x1000, 100, 0x10010L);
        return b.write(tmp.resolve("good.rmt"));
    }

    /** Where the module chunk's ranges start: after the image header, the table header and the heap chunk. */
    private static int moduleRangesStart(byte[] image) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int at = 24;
        for (int i = 0; i < 2; i++) {
            at += 16 + (int) (b.getLong(at + 8) + 7) / 8 * 8;
        }
        return at;
    }
}
