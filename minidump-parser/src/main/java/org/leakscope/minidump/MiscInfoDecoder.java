package org.leakscope.minidump;

import java.time.Instant;

/** Applies MiscInfo's Flags1 so fields the writer did not fill are null, not zero. */
final class MiscInfoDecoder {
    private static final long PROCESS_ID = 0x1;
    private static final long PROCESS_TIMES = 0x2;
    private static final long PROCESSOR_POWER_INFO = 0x4;
    private static final long PROCESS_INTEGRITY = 0x10;
    private static final long PROCESS_EXECUTE_FLAGS = 0x20;
    private static final long TIMEZONE = 0x40;
    private static final long PROTECTED_PROCESS = 0x80;
    private static final long BUILDSTRING = 0x100;
    private static final long PROCESS_COOKIE = 0x200;

    private MiscInfoDecoder() {
    }

    static MiscInfo decode(MinidumpFile.MiscInfo m, long size) {
        long f = m.flags1();
        boolean times = (f & PROCESS_TIMES) != 0;
        MinidumpFile.MiscInfoPower p = (f & PROCESSOR_POWER_INFO) != 0 ? m.power() : null;
        MinidumpFile.MiscInfoIntegrity i = m.integrity();
        MinidumpFile.MiscInfoBuild b = (f & BUILDSTRING) != 0 ? m.build() : null;
        return new MiscInfo(size, f,
                (f & PROCESS_ID) != 0 ? m.processId() : null,
                times ? Instant.ofEpochSecond(m.processCreateTime()) : null,
                times ? m.processUserTime() : null,
                times ? m.processKernelTime() : null,
                p == null ? null : p.processorMaxMhz(),
                p == null ? null : p.processorCurrentMhz(),
                i != null && (f & PROCESS_INTEGRITY) != 0 ? i.processIntegrityLevel() : null,
                i != null && (f & PROCESS_EXECUTE_FLAGS) != 0 ? i.processExecuteFlags() : null,
                i != null && (f & PROTECTED_PROCESS) != 0 ? i.protectedProcess() : null,
                i != null && (f & TIMEZONE) != 0 ? i.timeZoneId() : null,
                i != null && (f & TIMEZONE) != 0 ? i.standardName() : null,
                b == null ? null : b.buildString(),
                b == null ? null : b.dbgBldStr(),
                (f & PROCESS_COOKIE) != 0 && m.processCookie() != null ? m.processCookie() : null);
    }
}
