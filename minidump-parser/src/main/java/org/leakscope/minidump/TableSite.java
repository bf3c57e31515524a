package org.leakscope.minidump;

import java.util.List;
import java.util.Set;
import org.leakscope.model.ResourceKind;

/**
 * Live resources of one kind created from one stack.
 *
 * @param frames   return addresses, innermost first; frames.get(0) is the call site
 * @param subtypes how they were made: malloc, calloc, mmap, mutex, socket, ...
 */
public record TableSite(ResourceKind kind, List<Long> frames, long count, long bytes, Set<String> subtypes) {
    public TableSite {
        frames = List.copyOf(frames);
        subtypes = Set.copyOf(subtypes);
    }
}
