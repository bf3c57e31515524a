package org.leakscope.minidump;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fragmentation view of MemoryInfoList: how much is free, reserved and committed, of which type, and how
 * large the biggest free holes are. Answers "why does a process using 80 MB fail to allocate 100 MB?": the
 * largest free region is smaller than the request, however much is free in total.
 *
 * @param bytesByState   "commit" / "reserve" / "free" → bytes
 * @param bytesByType    "image" / "mapped" / "private" → bytes (committed and reserved regions)
 * @param regionCount    regions listed
 * @param largestFree    the largest free region, or null
 * @param topFree        the largest free regions, largest first
 */
public record AddressSpace(Map<String, Long> bytesByState, Map<String, Long> bytesByType, int regionCount,
        MemoryRegion largestFree, List<MemoryRegion> topFree) {

    public static AddressSpace of(List<MemoryRegion> regions, int topN) {
        Map<String, Long> byState = new LinkedHashMap<>();
        Map<String, Long> byType = new LinkedHashMap<>();
        for (String s : List.of("commit", "reserve", "free")) {
            byState.put(s, 0L);
        }
        for (String t : List.of("image", "mapped", "private")) {
            byType.put(t, 0L);
        }
        List<MemoryRegion> free = new ArrayList<>();
        for (MemoryRegion r : regions) {
            byState.merge(r.state(), r.size(), Long::sum);
            if ("free".equals(r.state())) {
                free.add(r);
            } else if (!r.type().isEmpty()) {
                byType.merge(r.type(), r.size(), Long::sum);
            }
        }
        free.sort((a, b) -> Long.compareUnsigned(b.size(), a.size())); // largest first
        List<MemoryRegion> top = List.copyOf(free.subList(0, Math.min(topN, free.size())));
        return new AddressSpace(byState, byType, regions.size(), free.isEmpty() ? null : free.get(0), top);
    }
}
