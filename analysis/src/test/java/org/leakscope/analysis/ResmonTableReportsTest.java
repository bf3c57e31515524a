package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.AttributedSite;
import org.leakscope.minidump.TableImage;
import org.leakscope.minidump.TableSite;
import org.leakscope.symbols.SymbolStore;

/** The resmon-tables operation on the C writer's sample table, as an image and inside a minidump. */
class ResmonTableReportsTest {
    static final Path SAMPLE = InputDetectionTest.testdata("resmontable/sample.rmt");

    @TempDir
    Path tmp;

    @Test
    void aTableImagesCallSitesAreNamedThroughItsOwnModuleList() throws IOException {
        try (SymbolStore symbols = new SymbolStore(List.of()); Input in = Inputs.open(SAMPLE, InputOptions.defaults())) {
            ResmonTableReport r = new ResmonTableReports(symbols, AllocatorFolding.defaults()).of(in, ReadProgress.NONE);
            assertEquals(InputKind.TABLE_IMAGE, r.kind());
            assertNull(r.bytesScanned());
            assertEquals(1, r.tables().size());
            ResmonTableReport.Table t = r.tables().get(0);
            assertEquals("file", t.foundIn());
            assertEquals("table", t.modulesFrom());
            assertEquals(4242, t.table().processId());
            assertEquals(List.of("heap block 1 1048576 sample_leaker+0xf4ab", "heap block 1 4096 sample_leaker+0xe345",
                    "heap block 6 600 sample_leaker+0xd234", "thread 2 0 sample_leaker+0x10000",
                    "sync object 2 0 sample_leaker+0x11000", "file descriptor 1 0 sample_leaker+0x12000"),
                    t.sites().stream().map(ResmonTableReportsTest::line).toList());
            // the stacks one by one, in the table's order, each attributed (JSON's sites[]): the same six here
            assertEquals(t.table().sites(), t.stacks().stream().map(ResmonTableReport.Stack::site).toList());
            assertEquals(List.of("sample_leaker+0xf4ab", "sample_leaker+0xe345", "sample_leaker+0xd234",
                    "sample_leaker+0x10000", "sample_leaker+0x11000", "sample_leaker+0x12000"),
                    t.stacks().stream().map(x -> x.attribution().site().describe()).toList());
            assertEquals(3, t.stacks().get(0).frames().size());
        }
    }

    @Test
    void aTableInAMinidumpUserStreamIsFoundWithoutMemoryToScan() throws IOException {
        Path dump = dumpWithTableStream(Files.readAllBytes(SAMPLE));
        try (SymbolStore symbols = new SymbolStore(List.of()); Input in = Inputs.open(dump, InputOptions.defaults())) {
            ResmonTableReport r = new ResmonTableReports(symbols, AllocatorFolding.defaults()).of(in, ReadProgress.NONE);
            assertEquals(InputKind.MINIDUMP, r.kind());
            assertEquals(0L, r.capturedBytes());
            assertEquals(0L, r.bytesScanned());
            assertEquals(List.of(), r.problems());
            assertEquals(List.of(), r.dumpProblems());
            assertEquals(1, r.tables().size());
            ResmonTableReport.Table t = r.tables().get(0);
            assertEquals("user-stream", t.foundIn());
            assertEquals("table", t.modulesFrom(), "the dump lists no modules: the table's own");
            assertEquals("heap block 1 1048576 sample_leaker+0xf4ab", line(t.sites().get(0)));
        }
    }

    @Test
    void aDumpWithoutATableHasAnEmptyReport() throws IOException {
        try (SymbolStore symbols = new SymbolStore(List.of());
                Input in = Inputs.open(InputDetectionTest.testdata("minidump/sample.dmp"), InputOptions.defaults())) {
            ResmonTableReport r = new ResmonTableReports(symbols, AllocatorFolding.defaults()).of(in, ReadProgress.NONE);
            assertEquals(List.of(), r.tables());
        }
    }

    @Test
    void aUmdhLogIsNotATableInput() throws IOException {
        try (SymbolStore symbols = new SymbolStore(List.of());
                Input in = Inputs.open(InputDetectionTest.testdata("umdh/leaky_1.log"), InputOptions.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ResmonTableReports(symbols, AllocatorFolding.defaults()).of(in, ReadProgress.NONE));
            assertEquals(in.path() + " is a umdh-snapshot, not a table image or a minidump", e.getMessage());
        }
    }

    static String line(AttributedSite<TableSite> s) {
        return s.kind().name().toLowerCase().replace('_', ' ') + " " + s.count() + " " + s.bytes() + " "
                + s.site().describe();
    }

    /** A minimal minidump as a launcher writes one: the header and one user stream holding a table image. */
    Path dumpWithTableStream(byte[] image) throws IOException {
        int imageAt = 32 + 12;
        ByteBuffer b = ByteBuffer.allocate(imageAt + image.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("MDMP".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0xa793).putShort((short) 0)
                .putInt(1).putInt(32).putInt(0).putInt(0).putLong(0);
        b.putInt((int) TableImage.USER_STREAM_TYPE).putInt(image.length).putInt(imageAt);
        b.put(image);
        return Files.write(tmp.resolve("launcher.dmp"), b.array());
    }

}
