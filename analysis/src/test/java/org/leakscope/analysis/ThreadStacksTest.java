package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.Minidump;
import org.leakscope.stackwalk.FoundBy;
import org.leakscope.stackwalk.StackWalker;
import org.leakscope.stackwalk.ThreadStack;
import org.leakscope.symbols.ImageSections;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.testing.Required;

/** Every thread's stack of Breakpad's minidump2.dmp with its symbols: the crashing thread first, named to main. */
class ThreadStacksTest {
    @Test
    void theCrashingThreadComesFirstWithItsWholeStack() throws Exception {
        try (Minidump dump = Minidump.open(Required.corpusFile("breakpad/minidump2.dmp"));
                SymbolStore symbols = new SymbolStore(List.of(Required.corpusFile("breakpad/symbols")))) {
            List<ThreadStack> stacks = ThreadStacks.of(dump, symbols, StackWalker.DEFAULT_MAX_FRAMES);
            assertEquals(2, stacks.size());
            ThreadStack crashed = stacks.get(0);
            assertTrue(crashed.crashed());
            assertEquals(List.of("`anonymous namespace'::CrashFunction", "main", "__tmainCRTStartup",
                    "BaseProcessStart"), crashed.frames().stream().map(f -> f.frame().function()).toList());
            assertEquals(List.of(FoundBy.CONTEXT, FoundBy.CFI, FoundBy.CFI, FoundBy.CFI),
                    crashed.frames().stream().map(f -> f.foundBy()).toList());
            assertEquals(65, crashed.frames().get(1).frame().sourceLine());
            assertEquals(0x7c816fd7L, crashed.frames().get(3).instructionPointer());
        }
    }

    /**
     * A module file whose call frame information is damaged: the walk goes on without it, and the report says
     * which file could not be used (a warning, not a stack trace and not silence).
     */
    @Test
    void aModuleFileWithDamagedUnwindDataIsAReportWarning(@TempDir Path dir) throws Exception {
        Path binary = dir.resolve("crash_linux");
        Files.copy(Required.corpusFile("stackwalk/sentry_crash_linux"), binary);
        try (FileChannel ch = FileChannel.open(binary, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ImageSections.Section ehFrame = ImageSections.read(ch, binary.toString()).section(".eh_frame")
                    .orElseThrow();
            ByteBuffer garbage = ByteBuffer.allocate((int) Math.min(64, ehFrame.fileSize()));
            while (garbage.hasRemaining()) {
                garbage.put((byte) 0xfe); // a CIE length of 0xfefefefe: past the section's end
            }
            ch.write(garbage.flip(), ehFrame.fileOffset());
        }
        try (Minidump dump = Minidump.open(Required.corpusFile("stackwalk/sentry_crash_linux.dmp"));
                SymbolStore symbols = new SymbolStore(List.of(dir))) {
            DumpJson report = new DumpReports(symbols).build(dump, new StackOptions(StackOptions.Threads.CRASHED,
                    StackWalker.DEFAULT_MAX_FRAMES, false));
            assertTrue(report.problems().stream().anyMatch(p -> p.message().contains("crash_linux")),
                    report.problems().toString());
            assertTrue(report.threads().stream().anyMatch(t -> t.crashed() && !t.frames().isEmpty()));
        }
    }
}
