package org.leakscope.minidump;

import java.time.Instant;

/**
 * The MiscInfo stream in any of its five sizes; fields the size or Flags1 does not cover are null.
 *
 * @param size              24, 44, 232, 832 or 1364 as found
 * @param processCreateTime when the process started
 * @param processUserTime   seconds of user CPU
 * @param processKernelTime seconds of kernel CPU
 * @param timeZoneName      standard time zone name (MISC_INFO_3 and later)
 * @param buildString       the OS build string (MISC_INFO_4 and later)
 */
public record MiscInfo(long size, long flags1, Long processId, Instant processCreateTime, Long processUserTime,
        Long processKernelTime, Long processorMaxMhz, Long processorCurrentMhz, Long processIntegrityLevel,
        Long processExecuteFlags, Long protectedProcess, Long timeZoneId, String timeZoneName, String buildString,
        String debugBuildString, Long processCookie) {
}
