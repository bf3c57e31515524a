package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.leakscope.analysis.RawStreams;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.StreamEntry;
import org.leakscope.minidump.VirtualMemory;

/** The minidump reader: every stream's accessor, memory reads and the {@code --raw} reflection of every stream. */
class MinidumpFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void minidump(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.dmp", input);
        ReaderContract.check("minidump", () -> {
            try (Minidump dump = Minidump.open(file)) {
                dump.header();
                for (StreamEntry e : dump.streams()) {
                    dump.rawStream(e);
                    dump.rawFields(e);
                    dump.text(e.kind());
                }
                dump.threads().ifPresent(ts -> {
                    for (DumpThread t : ts) {
                        dump.context(t);
                        dump.stackBytes(t);
                    }
                });
                dump.modules();
                dump.moduleMap();
                dump.unloadedModules();
                dump.threadDetails();
                dump.threadNameMap();
                dump.exception();
                dump.systemInfo();
                dump.miscInfo();
                dump.handles();
                dump.memoryList();
                dump.memory64List();
                dump.memoryRegions();
                dump.breakpadInfo();
                dump.assertionInfo();
                dump.crashpadInfo();
                dump.dsoDebug();
                dump.auxv();
                VirtualMemory memory = dump.memory();
                memory.ranges().stream().limit(64).forEach(r -> memory.read(r.start(), 4096));
                RawStreams.of(dump);
                dump.problems();
            }
        });
    }
}
