package org.leakscope.resmon;

import java.util.List;
import java.util.Set;
import org.leakscope.model.ResourceKind;

/**
 * Unreleased resources of one kind created from one call site, as a resmon report lists them.
 *
 * @param kind          heap block, pool block, thread or sync object
 * @param returnAddress the caller's address (resmon records one per resource), or null when the record had none
 * @param count         how many were listed
 * @param bytes         their requested sizes summed (0 for threads and sync objects)
 * @param types         what resmon called them: {@code Heap}, {@code Malloc}, {@code NonPagedPool},
 *                      {@code event}, {@code mutex}, {@code thread start 0x...} (a thread's start routine) ...
 * @param firstLine     where the first of them is listed
 * @param stack         the whole stack the tracker recorded, innermost first (its first frame is the return
 *                      address): the {@code stack} line of Leakscope's trackers, else just the return address;
 *                      empty when the record had none. Records with different stacks are different call sites
 *                      here; attribution (docs/attribution.md) merges those that leaked from the same code.
 */
public record CallSite(ResourceKind kind, Long returnAddress, long count, long bytes, Set<String> types,
        long firstLine, List<Long> stack) {
    public CallSite {
        stack = List.copyOf(stack);
    }

    /** A call site whose stack is its return address (the original resmon records one frame). */
    public CallSite(ResourceKind kind, Long returnAddress, long count, long bytes, Set<String> types, long firstLine) {
        this(kind, returnAddress, count, bytes, types, firstLine,
                returnAddress == null ? List.of() : List.of(returnAddress));
    }
}
