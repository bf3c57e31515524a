package org.leakscope.model;

import java.time.Instant;

/**
 * One live (unreleased) resource: a heap or pool block, a thread, a sync object, a handle or a descriptor.
 *
 * @param kind      what it is
 * @param address   block address, handle value or descriptor number (unsigned)
 * @param size      bytes for blocks; 0 where size has no meaning
 * @param tag       heap name, pool tag or object type ("Event", "Mutex"); null when unknown
 * @param threadId  the thread that created it, or null
 * @param backtrace where it was created; at least the return address when the producer records one
 * @param time      when it was created, or null
 */
public record Resource(ResourceKind kind, long address, long size, String tag, Long threadId,
        Backtrace backtrace, Instant time) {
}
