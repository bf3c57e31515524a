package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Frame;
import org.leakscope.model.Snapshot;
import org.leakscope.symbols.SymbolStore;

/** Function names for a UMDH snapshot's module+offset frames from a Breakpad symbol store. */
class SnapshotSymbolsTest {
    @Test
    void framesInAModuleTheStoreKnowsGetTheirFunction() throws IOException {
        Path log = InputDetectionTest.testdata("umdh/leaky_1.log");
        try (Input in = Inputs.open(log, InputOptions.defaults());
                SymbolStore symbols = new SymbolStore(List.of(InputDetectionTest.testdata("umdh/symbols")))) {
            Snapshot raw = ((Input.UmdhSnapshotFile) in).log().snapshot();
            boolean[] any = {false};
            Snapshot named = SnapshotSymbols.symbolize(raw, symbols, any);
            assertTrue(any[0]);
            List<String> stack = named.aggregates().stream()
                    .filter(a -> a.backtrace().traceId().equals("18D0A0D0")).findFirst().orElseThrow()
                    .backtrace().frames().stream().map(Frame::describe).toList();
            assertEquals("leaky.exe!LeakyCache::Insert(std::string const &,void *)+0x34", stack.get(3));
            assertEquals("leaky.exe!main+0x42", stack.get(4));
            assertEquals("ntdll.dll+0x7dd82", stack.get(0), "no symbols for ntdll: module+offset stays");
        }
    }

    @Test
    void withoutSymbolsTheSnapshotIsReturnedAsIs() throws IOException {
        try (Input in = Inputs.open(InputDetectionTest.testdata("umdh/leaky_1.log"), InputOptions.defaults());
                SymbolStore none = new SymbolStore(List.of())) {
            Snapshot raw = ((Input.UmdhSnapshotFile) in).log().snapshot();
            boolean[] any = {false};
            assertSame(raw, SnapshotSymbols.symbolize(raw, none, any));
            assertFalse(any[0]);
        }
    }
}
