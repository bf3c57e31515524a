package org.leakscope.minidump;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;

/**
 * The fuzz entry point: opens a dump and asks for everything the API offers (every stream, every context,
 * every raw field tree, a memory read in every range). The only exception it lets through is the documented
 * {@link InputFormatException}; anything else fails the calling test.
 */
final class DumpExerciser {
    private DumpExerciser() {
    }

    /** @return true when the dump opened (damage may still be listed in problems), false on a fatal error */
    static boolean exercise(Path file) throws IOException {
        try (Minidump d = Minidump.open(file, Limits.DEFAULT)) {
            d.header();
            d.threads().ifPresent(ts -> ts.forEach(d::context));
            d.modules();
            d.moduleMap();
            d.unloadedModules();
            d.threadDetails();
            d.threadNames();
            d.exception().ifPresent(e -> d.context(e.contextSize(), e.contextOffset()));
            d.systemInfo();
            d.miscInfo();
            d.handles();
            d.memoryRegions().ifPresent(r -> AddressSpace.of(r, 5));
            d.breakpadInfo();
            d.assertionInfo();
            d.crashpadInfo();
            d.dsoDebug();
            d.auxv();
            for (StreamKind k : List.of(StreamKind.COMMENT_A, StreamKind.COMMENT_W, StreamKind.LINUX_MAPS,
                    StreamKind.LINUX_CMD_LINE, StreamKind.LINUX_ENVIRON, StreamKind.LINUX_PROC_STATUS)) {
                d.text(k);
            }
            VirtualMemory mem = d.memory();
            for (MemoryRange r : mem.ranges()) {
                mem.read(r.start(), (int) Math.min(64, Math.max(0, r.size())));
            }
            for (StreamEntry e : d.streams()) {
                try {
                    d.rawFields(e);
                    if (e.kind() == StreamKind.OTHER && e.size() < 1 << 20) {
                        d.rawStream(e);
                    }
                } catch (InputFormatException expected) {
                    // a damaged stream read raw is a documented error, not a crash
                }
            }
            d.problems();
            return true;
        } catch (InputFormatException fatal) {
            if (fatal.getMessage() == null || fatal.source() == null) {
                throw new AssertionError("error without a source: " + fatal);
            }
            return false;
        }
    }
}
