package org.leakscope.umdh;

import java.time.LocalDateTime;

/**
 * What a UMDH log's {@code //} header says about where it came from; any field may be null. From
 * {@code // UMDH: version 6.1.7650.0: Logtime 2012-04-30 12:09 - Machine=HCE-C2SFLQ1 - PID=7696} and
 * {@code // OS version 6.1}. The log time is the capturing machine's local time, to the minute.
 */
public record UmdhHeader(String umdhVersion, LocalDateTime logTime, String machine, Long processId,
        String osVersion) {
    static final UmdhHeader EMPTY = new UmdhHeader(null, null, null, null, null);
}
