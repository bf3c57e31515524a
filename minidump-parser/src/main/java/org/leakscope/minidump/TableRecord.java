package org.leakscope.minidump;

import java.util.List;
import org.leakscope.model.ResourceKind;

/**
 * One live record of a tracking table.
 *
 * @param handle      block address, thread handle, object address or descriptor
 * @param size        requested bytes (heap records), else 0
 * @param tag         heap handle, arena or pool tag (heap records), else 0
 * @param timeNs      when it was created, ns since the capture started
 * @param threadId    the thread's id (thread records), else 0
 * @param startVa     the thread's start routine (thread records), else 0
 * @param exitTimeNs  when the thread exited, 0 while it runs (thread records)
 */
public record TableRecord(ResourceKind kind, String subtype, long handle, long size, long tag, long creatorTid,
        long timeNs, List<Long> frames, long threadId, long startVa, long exitTimeNs) {
    public TableRecord {
        frames = List.copyOf(frames);
    }
}
