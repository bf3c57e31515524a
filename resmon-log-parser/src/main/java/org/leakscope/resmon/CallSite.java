package org.leakscope.resmon;

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
 */
public record CallSite(ResourceKind kind, Long returnAddress, long count, long bytes, Set<String> types,
        long firstLine) {
}
