package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.Minidump;
import org.leakscope.symbols.SymbolStore;

/**
 * Without a Breakpad symbol file, the module's own program file gives the call frame information: the Linux crash
 * walked with only the crashing binary (its {@code .eh_frame}) along the symbol path finds the frames Breakpad
 * finds by STACK CFI with the full symbol file: crash, start, main, and the caller in libc.
 */
class ProgramFileUnwindTest {
    @Test
    void dwarfCallFrameInformationOfTheBinaryWalksLikeItsStackCfi(@TempDir Path dir) throws Exception {
        Files.copy(Corpus.file("stackwalk/sentry_crash_linux"), dir.resolve("crash_linux"));
        BreakpadStackText.Thread golden = BreakpadStackText.read(Corpus.file(
                "stackwalk/sentry_crash_linux.stackwalk.out")).threads().get(0);
        try (Minidump dump = Minidump.open(Corpus.file("stackwalk/sentry_crash_linux.dmp"));
                SymbolStore symbols = new SymbolStore(List.of(dir));
                StackWalker walker = new StackWalker(dump, symbols)) {
            ThreadStack s = walker.walk(dump.threads().orElseThrow().get(0));
            for (int i = 0; i < 4; i++) {
                BreakpadStackText.Frame expected = golden.frames().get(i);
                StackFrame actual = s.frames().get(i);
                assertEquals(expected.module(), actual.frame().module(), "frame " + i);
                assertEquals(expected.registers().get("rip"), actual.registers().get("rip"), "frame " + i);
                assertEquals(expected.registers().get("rsp"), actual.registers().get("rsp"), "frame " + i);
                assertEquals(i == 0 ? FoundBy.CONTEXT : FoundBy.CFI, actual.foundBy(), "frame " + i);
            }
            assertEquals("main", s.frames().get(2).frame().function());
            assertEquals(List.of(), walker.problems());
        }
    }
}
