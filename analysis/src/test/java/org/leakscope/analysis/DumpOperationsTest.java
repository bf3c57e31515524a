package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leakscope.symbols.SymbolStore;

/** The dump operations (report, memory window, raw streams) on testdata/minidump/sample.dmp. */
class DumpOperationsTest {
    static final Path SAMPLE = InputDetectionTest.testdata("minidump/sample.dmp");

    @Test
    void theReportNamesTheCrashFrameThroughTheSymbolStore() throws IOException {
        try (Input.DumpFile in = Inputs.openDump(SAMPLE, InputOptions.defaults());
                SymbolStore symbols = new SymbolStore(List.of(InputDetectionTest.testdata("minidump/symbols")))) {
            DumpJson r = new DumpReports(symbols).build(in.dump());
            assertEquals(9013L, r.fileSize());
            assertEquals("0xc0000005", r.exception().code());
            assertEquals("EXCEPTION_ACCESS_VIOLATION_WRITE", r.exception().name());
            assertEquals("0x00007ff6a0001f3a", r.exception().instructionPointer());
            FrameJson f = r.exception().frame();
            assertEquals("leaky_service.exe", f.module());
            assertEquals("0x1f3a", f.moduleOffset());
            assertEquals("c:\\src\\leaky\\cache.cpp", f.sourceFile());
            assertEquals(88, f.sourceLine());
            assertTrue(f.function().startsWith("LeakyCache::Insert("), f.function());
            assertEquals(4242L, r.process().pid());
            assertEquals(8, r.system().pointerSize());
            assertEquals(10, r.streams().size());
            assertEquals(List.of(), r.problems());
            assertTrue(r.threads().stream().anyMatch(t -> t.id().equals("0x1a2c") && t.crashed()));
        }
    }

    @Test
    void withoutSymbolsTheCrashFrameIsModulePlusOffset() throws IOException {
        try (Input.DumpFile in = Inputs.openDump(SAMPLE, InputOptions.defaults());
                SymbolStore none = new SymbolStore(List.of())) {
            FrameJson f = new DumpReports(none).build(in.dump()).exception().frame();
            assertEquals("leaky_service.exe+0x1f3a", f.text());
            assertNull(f.function());
        }
    }

    @Test
    void aMemoryWindowHasCapturedPiecesAndGaps() throws IOException {
        try (Input.DumpFile in = Inputs.openDump(SAMPLE, InputOptions.defaults())) {
            DumpMemory m = DumpMemory.read(in.dump(), 0xe1f00ff780L, 48);
            assertEquals(8, m.pointerSize());
            assertEquals(2, m.pieces().size());
            assertEquals(32, m.pieces().get(0).length());
            assertEquals(0x0c, m.pieces().get(0).bytes()[0]);
            assertTrue(m.pieces().get(1).isGap());
            assertEquals(16, m.pieces().get(1).length());
        }
    }

    @Test
    void rawStreamsListTheHeaderAndEveryStream() throws IOException {
        try (Input.DumpFile in = Inputs.openDump(SAMPLE, InputOptions.defaults())) {
            Map<String, Object> raw = RawStreams.of(in.dump());
            assertEquals(SAMPLE.toString(), raw.get("file"));
            @SuppressWarnings("unchecked")
            Map<String, Object> header = (Map<String, Object>) raw.get("header");
            assertEquals(10L, ((Number) header.get("stream_count")).longValue());
            assertEquals(0x1824L, header.get("flags"));
            assertEquals(10, ((List<?>) raw.get("streams")).size());
        }
    }
}
