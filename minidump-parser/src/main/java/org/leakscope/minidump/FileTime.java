package org.leakscope.minidump;

import java.time.Instant;

/** Windows FILETIME (100 ns ticks since 1601-01-01 UTC) to Instant; 0 means "not set". */
final class FileTime {
    private static final long EPOCH_DIFF_SECONDS = 11_644_473_600L;

    private FileTime() {
    }

    static Instant toInstant(long ticks) {
        if (ticks == 0) {
            return null;
        }
        long unsigned = ticks < 0 ? Long.MAX_VALUE : ticks; // a FILETIME past year 30000 is damage; clamp
        return Instant.ofEpochSecond(unsigned / 10_000_000L - EPOCH_DIFF_SECONDS, (unsigned % 10_000_000L) * 100);
    }
}
