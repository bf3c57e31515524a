package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.minidump.Minidump;
import org.leakscope.stackwalk.FoundBy;
import org.leakscope.stackwalk.StackWalker;
import org.leakscope.stackwalk.ThreadStack;
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
}
