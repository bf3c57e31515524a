package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.ResourceKind;

/**
 * The resmon table written by native-capture's C writer (testdata/resmontable/sample.rmt and sample-aslr.rmt,
 * `make -C native-capture sample`), read from the image and from a dump's memory found by scanning.
 */
class ResmonTableTest {
    static final Path SAMPLE = Path.of("..", "testdata", "resmontable", "sample.rmt");
    /** The same run with the program and libc loaded at other bases (write_sample_table --aslr). */
    static final Path SAMPLE_ASLR = Path.of("..", "testdata", "resmontable", "sample-aslr.rmt");
    static final long SITE_A = 0x0000555555561234L;
    static final long SITE_B = 0x0000555555562345L;
    static final long SITE_C = 0x00005555555634ABL;

    @TempDir
    Path tmp;

    static TrackingTable readImage(Path p) throws IOException {
        try (TableImage img = TableImage.open(p, Limits.DEFAULT)) {
            return ResmonTableReader.read(img, img.headerVa());
        }
    }

    static void assertSample(TrackingTable t) {
        assertEquals(List.of(), t.problems());
        assertEquals("sample_leaker", t.processName());
        assertEquals(4242, t.processId());
        assertEquals(8, t.pointerSize());
        assertEquals(1, t.versionMajor());
        assertTrue(t.cleanExit());
        assertEquals(new TrackingTable.TableLimits(128L << 20, 30, 100, 180, 5000, 128L << 20), t.limits());
        TrackingTable.TableTotals s = t.totals();
        assertEquals(10, s.allocations());
        assertEquals(2, s.frees());
        assertEquals(6 * 100 + 3 * 4096 + (1 << 20), s.allocatedBytes());
        assertEquals(2 * 4096, s.freedBytes());
        assertEquals(6 * 100 + 4096 + (1 << 20), s.liveBytes());
        assertEquals(s.liveBytes(), s.peakBytes(), "the 1 MiB block came after the frees");
        assertEquals(2, s.liveThreads());
        assertEquals(2, s.liveSyncObjects());
        assertEquals(1, s.liveHandles());
        assertEquals(0, s.droppedRecords());
        assertEquals(6, t.histogram().get(3), "100 bytes: 64 < size <= 128");
        assertEquals(3, t.histogram().get(8), "4096 bytes");
        assertEquals(1, t.histogram().get(16), "1 MiB");
        assertEquals(10, t.histogram().stream().mapToLong(Long::longValue).sum());

        assertEquals(6 + 1 + 1 + 2 + 2 + 1, t.liveRecords());
        TableSite c = t.sites().get(0);
        assertEquals(ResourceKind.HEAP_BLOCK, c.kind());
        assertEquals(List.of(SITE_C, 0x0000555555570010L, 0x00007FFFF7829D90L), c.frames());
        assertEquals(1 << 20, c.bytes());
        assertEquals(Set.of("calloc"), c.subtypes());
        TableSite b = t.sites().get(1);
        assertEquals(SITE_B, b.frames().get(0));
        assertEquals(1, b.count(), "two of its three blocks were freed");
        TableSite a = t.sites().get(2);
        assertEquals(SITE_A, a.frames().get(0));
        assertEquals(6, a.count());
        assertEquals(600, a.bytes());
        List<TableRecord> threads = t.examples().stream().filter(r -> r.kind() == ResourceKind.THREAD).toList();
        assertEquals(List.of(4243L, 4244L), threads.stream().map(TableRecord::threadId).toList());
        assertEquals(0x0000555555570000L, threads.get(0).startVa());
        assertEquals("exited", threads.get(1).subtype());
        assertEquals(2000000, threads.get(1).exitTimeNs());
        List<TableRecord> fds = t.examples().stream().filter(r -> r.kind() == ResourceKind.FILE_DESCRIPTOR).toList();
        assertEquals(1, fds.size(), "descriptor 7 was closed");
        assertEquals(9, fds.get(0).handle());
        assertEquals("socket", fds.get(0).subtype());
        assertEquals(Set.of("mutex", "cond"), Set.copyOf(t.examples().stream()
                .filter(r -> r.kind() == ResourceKind.SYNC_OBJECT).map(TableRecord::subtype).toList()));
        assertEquals(3, t.snapshot().aggregates().stream().filter(x -> x.kind() == ResourceKind.HEAP_BLOCK).count(),
                "3 heap stacks");
        // the module list (1.1): the program, libc, and a plugin unloaded before the image was written
        assertEquals(1, t.versionMinor());
        assertEquals(List.of("/opt/sample/sample_leaker", "/lib/x86_64-linux-gnu/libc.so.6", "/opt/sample/plugin.so"),
                t.modules().stream().map(TableModule::path).toList());
        TableModule exe = t.modules().get(0);
        assertEquals(0x20000, exe.size());
        assertEquals("sample_leaker", exe.debugFile());
        assertEquals("131211101514171618191A1B1C1D1E1F0", exe.debugId(), "build id 10 11 .. 23 in Breakpad's fold");
        assertEquals("202122232425262728292a2b2c2d2e2f30313233", t.modules().get(1).codeId());
        assertEquals(List.of(false, false, true), t.modules().stream().map(TableModule::unloaded).toList());
        assertEquals(List.of("sample_leaker+0xf4ab", "sample_leaker+0x1c010", "libc.so.6+0x29d90"),
                frames(t).get(0));
    }

    /** Each stack of the table's snapshot as frame texts. */
    static List<List<String>> frames(TrackingTable t) {
        return t.snapshot().aggregates().stream()
                .map(a -> a.backtrace().frames().stream().map(org.leakscope.model.Frame::describe).toList()).toList();
    }

    @Test
    void theSameRunLoadedElsewhereHasTheSameStacksByModuleAndOffset() throws IOException {
        TrackingTable t = readImage(SAMPLE);
        TrackingTable moved = readImage(SAMPLE_ASLR);
        assertEquals(0x0000561234567000L, moved.modules().get(0).base());
        assertEquals(0x00007F1234400000L, moved.modules().get(1).base());
        assertEquals(SITE_C - 0x0000555555554000L + 0x0000561234567000L, moved.sites().get(0).frames().get(0));
        assertEquals(frames(t), frames(moved));
    }

    @Test
    void theCWritersSampleImage() throws IOException {
        assertSample(readImage(SAMPLE));
    }

    /** The image's ranges, as (va, bytes). */
    static List<Object[]> ranges(byte[] img) {
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getInt(12);
        List<Object[]> out = new ArrayList<>();
        int at = 24;
        for (int i = 0; i < count; i++) {
            long va = b.getLong(at);
            int len = (int) b.getLong(at + 8);
            byte[] data = new byte[len];
            System.arraycopy(img, at + 16, data, 0, len);
            out.add(new Object[] {va, data});
            at += 16 + (len + 7) / 8 * 8;
        }
        return out;
    }

    @Test
    void foundByScanningADumpsMemory() throws IOException {
        byte[] img = Files.readAllBytes(SAMPLE);
        List<Long> vas = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        for (Object[] r : ranges(img)) {
            vas.add((Long) r[0]);
            data.add((byte[]) r[1]);
        }
        // a stale copy of the header elsewhere: the scan sees its magic, self_va says it is not the table
        vas.add(0x7F0000000000L);
        data.add(data.get(0).clone());
        Path dump = tmp.resolve("scan.dmp");
        new SyntheticDumpBuilder().memoryList(vas, data).write(dump);
        try (Minidump m = Minidump.open(dump)) {
            ResmonTableScan.Result r = ResmonTableScan.scan(m.memory(), null);
            assertEquals(1, r.tables().size());
            assertSample(r.tables().get(0));
            assertEquals(1, r.problems().size());
            assertTrue(r.problems().get(0).message().contains("self_va"), r.problems().toString());
        }
    }

    @Test
    void aDamagedChunkIsAProblemAndTheRestIsRead() throws IOException {
        byte[] img = Files.readAllBytes(SAMPLE);
        // the first chunk after the header range is the heap chunk: break its magic
        int heapChunk = 24 + 16 + ResmonTableReader.HEADER_BYTES + 16;
        assertEquals('R', img[heapChunk]);
        img[heapChunk] = 'X';
        Path p = tmp.resolve("damaged.rmt");
        Files.write(p, img);
        TrackingTable t = readImage(p);
        assertEquals(1, t.problems().size(), t.problems().toString());
        assertTrue(t.problems().get(0).message().contains("heap chunk at"), t.problems().toString());
        assertEquals(2 + 2 + 1, t.liveRecords(), "threads, sync objects and descriptors still read");
    }

    @Test
    void generatedDamageNeverEscapesAsAnythingElse() throws IOException {
        byte[] good = Files.readAllBytes(SAMPLE);
        Random rnd = new Random(7);
        Path p = tmp.resolve("fuzz.rmt");
        int errors = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] b;
            if (i < good.length && i < 500) {
                b = java.util.Arrays.copyOf(good, i * good.length / 500);
            } else {
                b = good.clone();
                for (int f = 0; f <= i % 6; f++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                if (i % 50 == 0) { // an absurd range count or length
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 0x7FFFFFFF);
                }
            }
            Files.write(p, b);
            try {
                readImage(p);
            } catch (InputFormatException e) {
                errors++;
                assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            }
        }
        assertTrue(errors > 0);
    }

    @Test
    void notAnImage() throws IOException {
        Path p = tmp.resolve("x.rmt");
        Files.write(p, new byte[] {'M', 'D', 'M', 'P'});
        InputFormatException e = assertThrows(InputFormatException.class, () -> readImage(p));
        assertTrue(e.getMessage().contains("a table image"), e.getMessage());
        assertFalse(TableImage.isImage(new byte[] {'L', 'K'}));
    }
}
