package org.leakscope.minidump;

import java.util.List;

/**
 * The Exception stream: why the dump was written. Addresses of 32-bit processes are cut to 32 bits: 32-bit
 * writers sign-extend ExceptionInformation into its 64-bit slots ({@code 0xffffffff00000045} for 0x45).
 *
 * @param threadId      the thread that faulted
 * @param code          NTSTATUS code on Windows, signal number on Linux, Mach exception on macOS
 * @param name          the crash reason as Breakpad words it: {@code EXCEPTION_ACCESS_VIOLATION_WRITE},
 *                      {@code SIGSEGV / SEGV_MAPERR}, {@code EXC_BAD_ACCESS / KERN_INVALID_ADDRESS},
 *                      {@code STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_FATAL_APP_EXIT}; the hex code when unknown
 * @param flags         ExceptionFlags: flag bits on Windows, the si_code or Mach code elsewhere
 * @param flagNames     the Windows flag bits by name ({@code EXCEPTION_NONCONTINUABLE}); empty elsewhere
 * @param address       where the exception happened as recorded (on Linux Breakpad stores si_addr here)
 * @param crashAddress  the address that was accessed for access violations and in-page errors, else the
 *                      exception address
 * @param parameters    the first NumberParameters of ExceptionInformation
 * @param contextSize   bytes of the faulting thread's CONTEXT
 * @param contextOffset file offset of that CONTEXT
 */
public record ExceptionInfo(long threadId, long code, String name, long flags, List<String> flagNames,
        long address, long crashAddress, List<Long> parameters, long contextSize, long contextOffset) {
}
