package org.leakscope.minidump;

import java.time.Instant;

/**
 * Per-thread times and start address from ThreadInfoList.
 *
 * @param kernelTime100ns CPU time in kernel mode, 100 ns units
 * @param userTime100ns   CPU time in user mode, 100 ns units
 */
public record ThreadDetails(long threadId, long dumpFlags, long dumpError, long exitStatus, Instant createTime,
        Instant exitTime, long kernelTime100ns, long userTime100ns, long startAddress, long affinity) {
}
