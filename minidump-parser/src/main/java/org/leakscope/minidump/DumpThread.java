package org.leakscope.minidump;

/**
 * A thread from the ThreadList stream. The register context is decoded on request
 * ({@link Minidump#context(DumpThread)}) because most callers need only a few threads' registers.
 *
 * @param id            thread id
 * @param suspendCount  0 for a running thread
 * @param priorityClass Windows priority class
 * @param priority      Windows priority, signed: -2 is THREAD_PRIORITY_LOWEST, -15 THREAD_PRIORITY_IDLE
 * @param teb           address of the thread environment block (Linux: 0 or the TLS base)
 * @param stackStart    lowest address of the captured stack memory
 * @param stackSize     bytes of captured stack
 * @param stackOffset   file offset of the captured stack bytes
 * @param contextSize   bytes the dump declares for the CONTEXT
 * @param contextOffset file offset of the CONTEXT
 */
public record DumpThread(long id, long suspendCount, long priorityClass, int priority, long teb,
        long stackStart, long stackSize, long stackOffset, long contextSize, long contextOffset) {

    /** @param dump masks the addresses of 32-bit processes to 32 bits */
    static DumpThread from(MinidumpFile.Thread t, Minidump dump) {
        // MINIDUMP_THREAD.Priority is a ULONG holding the signed value GetThreadPriority returned.
        return new DumpThread(t.threadId(), t.suspendCount(), t.priorityClass(), (int) t.priority(),
                dump.address(t.teb()), dump.address(t.stack().addrMemoryRange()), t.stack().memory().lenData(),
                t.stack().memory().ofsData(), t.threadContext().lenData(), t.threadContext().ofsData());
    }
}
