package org.leakscope.minidump;

/**
 * A thread from the ThreadList stream. The register context is decoded on request
 * ({@link Minidump#context(DumpThread)}) because most callers need only a few threads' registers.
 *
 * @param id            thread id
 * @param suspendCount  0 for a running thread
 * @param priorityClass Windows priority class
 * @param priority      Windows priority
 * @param teb           address of the thread environment block (Linux: 0 or the TLS base)
 * @param stackStart    lowest address of the captured stack memory
 * @param stackSize     bytes of captured stack
 * @param stackOffset   file offset of the captured stack bytes
 * @param contextSize   bytes the dump declares for the CONTEXT
 * @param contextOffset file offset of the CONTEXT
 */
public record DumpThread(long id, long suspendCount, long priorityClass, long priority, long teb,
        long stackStart, long stackSize, long stackOffset, long contextSize, long contextOffset) {

    static DumpThread from(MinidumpFile.Thread t) {
        return new DumpThread(t.threadId(), t.suspendCount(), t.priorityClass(), t.priority(), t.teb(),
                t.stack().addrMemoryRange(), t.stack().memory().lenData(), t.stack().memory().ofsData(),
                t.threadContext().lenData(), t.threadContext().ofsData());
    }
}
