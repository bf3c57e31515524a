package org.leakscope.minidump;

/** A thread's description as set by SetThreadDescription (ThreadNames stream). */
public record ThreadName(long threadId, String name) {
}
