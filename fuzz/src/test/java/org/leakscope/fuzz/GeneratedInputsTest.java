package org.leakscope.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.leakscope.analysis.FoundTables;
import org.leakscope.analysis.ReadProgress;
import org.leakscope.analysis.ThreadStacks;
import org.leakscope.minidump.Minidump;
import org.leakscope.model.Limits;
import org.leakscope.stackwalk.StackFrame;
import org.leakscope.stackwalk.ThreadStack;
import org.leakscope.symbols.SymbolStore;

/**
 * The targets that wrap the fuzzer's bytes in a dump reach the code they are for: a target whose dump the
 * reader refused at the header would fuzz nothing but the header check, and still pass.
 */
class GeneratedInputsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void tableScanDumpHoldsTheImageInItsUserStreamAndMemory() throws Exception {
        byte[] image = Files.readAllBytes(REPO.resolve("testdata/resmontable/sample.rmt"));
        Path file = FuzzFile.of("scan.dmp", ResmonTableFuzzTest.dumpAround(image));
        try (Minidump dump = Minidump.open(file, Limits.DEFAULT)) {
            FoundTables found = FoundTables.in(dump, ReadProgress.NONE);
            assertEquals(1, found.fromStreams().size(), found.problems().toString());
            assertEquals("sample_leaker", found.fromStreams().get(0).processName());
            // the memory scan found the same header (so it is reported once) and nothing else
            assertEquals(List.of(), found.fromMemory());
            assertEquals(List.of(), found.problems());
            org.junit.jupiter.api.Assertions.assertTrue(found.bytesScanned() > 3000, "the image's ranges, scanned");
        }
    }

    @Test
    void stackwalkSeedsWalkByTheirUnwinders() throws Exception {
        assertEquals("leaf:context middle:cfi main:cfi", walk("amd64_cfi"));
        assertEquals("leaf:context middle:cfi main:cfi", walk("x86_stackwin"));
        assertEquals("leaf:context middle:cfi main:cfi", walk("arm64_cfi"));
        assertEquals("leaf:context middle:scan main:scan", walk("amd64_scan")); // Windows: no rbp chains
    }

    /** The crashed thread's frames of a seed as "function:found-by", through the target's own code. */
    private static String walk(String seed) throws Exception {
        byte[] in = Files.readAllBytes(REPO.resolve("testdata/fuzz/stackwalk/" + seed + ".bin"));
        new StackwalkFuzzTest().walk(in); // writes the dump and the symbol file where the target reads them
        Path root = FuzzFile.dir().resolve("symbols");
        try (Minidump dump = Minidump.open(FuzzFile.dir().resolve("walk.dmp"), Limits.DEFAULT);
                SymbolStore symbols = new SymbolStore(List.of(root))) {
            List<ThreadStack> stacks = ThreadStacks.of(dump, symbols, 100);
            assertEquals(1, stacks.size());
            return stacks.get(0).frames().stream().map(GeneratedInputsTest::label).collect(Collectors.joining(" "));
        }
    }

    private static String label(StackFrame f) {
        return f.frame().function() + ":" + f.foundBy().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
