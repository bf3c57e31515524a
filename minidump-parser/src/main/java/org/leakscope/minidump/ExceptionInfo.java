package org.leakscope.minidump;

import java.util.List;

/**
 * The Exception stream: why the dump was written.
 *
 * @param threadId      the thread that faulted
 * @param code          NTSTATUS code on Windows, signal number on Linux/macOS (Breakpad)
 * @param name          e.g. EXCEPTION_ACCESS_VIOLATION_WRITE or SIGSEGV; the hex code when unknown
 * @param flags         ExceptionFlags
 * @param address       where the exception happened (instruction address)
 * @param crashAddress  the address that was accessed for access violations, else the exception address
 * @param parameters    the first NumberParameters of ExceptionInformation
 * @param contextSize   bytes of the faulting thread's CONTEXT
 * @param contextOffset file offset of that CONTEXT
 */
public record ExceptionInfo(long threadId, long code, String name, long flags, long address, long crashAddress,
        List<Long> parameters, long contextSize, long contextOffset) {
}
