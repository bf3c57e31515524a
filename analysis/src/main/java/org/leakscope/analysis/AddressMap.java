package org.leakscope.analysis;

import java.util.List;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.MemoryRegion;

/**
 * A dump's address space region by region, as MemoryInfoList recorded it (base order), for a report that draws
 * it; {@link DumpJson.AddressSpaceJson} has the totals and the largest free regions.
 *
 * @param regions     every region: free, reserved, or committed image, mapped or private memory
 * @param pointerSize 4 or 8 bytes
 */
public record AddressMap(List<MemoryRegion> regions, int pointerSize) {
    public AddressMap {
        regions = List.copyOf(regions);
    }

    /** The dump's regions; empty without a MemoryInfoList stream. */
    public static AddressMap of(Minidump dump) {
        int ptr = dump.systemInfo().map(s -> s.pointerSize()).orElse(8);
        return new AddressMap(dump.memoryRegions().orElse(List.of()), ptr);
    }
}
