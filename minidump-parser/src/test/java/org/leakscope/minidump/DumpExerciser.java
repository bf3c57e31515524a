package org.leakscope.minidump;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;

/**
 * The fuzz entry point: opens a dump and asks for everything the API offers (every stream, every context,
 * every raw field tree, a memory read in every range). The contract it holds the reader to: only
 * {@link Minidump#open} may throw, and only {@link InputFormatException} with a source; every accessor after
 * that returns what it can and records damage as a {@link Problem}. The raw views ({@code rawFields},
 * {@code rawStream}) are documented to throw on damage and are the only exception. Anything else thrown fails
 * the calling test.
 */
final class DumpExerciser {
    private DumpExerciser() {
    }

    /**
     * What one exercise found.
     *
     * @param opened   false when open() rejected the header or directory
     * @param problems the damage recorded after every accessor ran; empty when not opened
     */
    record Outcome(boolean opened, List<Problem> problems) {
    }

    static Outcome exercise(Path file) throws IOException {
        Minidump opened;
        try {
            opened = Minidump.open(file, Limits.DEFAULT);
        } catch (InputFormatException fatal) {
            if (fatal.getMessage() == null || fatal.source() == null) {
                throw new AssertionError("error without a source: " + fatal);
            }
            return new Outcome(false, List.of());
        }
        try (Minidump d = opened) {
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
                } catch (InputFormatException documented) {
                    // the raw views throw on a damaged stream, by contract (--raw prints the error per stream)
                }
            }
            return new Outcome(true, List.copyOf(d.problems()));
        }
    }
}
