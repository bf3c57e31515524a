package org.leakscope.analysis;

import java.util.List;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.SystemInfo;
import org.leakscope.minidump.VirtualMemory;

/**
 * A window of a dump's captured memory ({@code dumpscan --memory}): the pieces in address order, each captured
 * bytes or a gap.
 *
 * @param pointerSize 4 or 8, for spelling addresses (8 when the dump has no SystemInfo)
 */
public record DumpMemory(String source, long address, int length, int pointerSize, List<VirtualMemory.Piece> pieces) {
    /** The longest window one read returns. */
    public static final int MAX_READ = VirtualMemory.MAX_READ;

    /** Reads {@code length} bytes (at most {@link #MAX_READ}) at a virtual address. */
    public static DumpMemory read(Minidump dump, long address, int length) {
        int ptr = dump.systemInfo().map(SystemInfo::pointerSize).orElse(8);
        return new DumpMemory(dump.source(), address, length, ptr, dump.memory().read(address, length));
    }
}
