package org.leakscope.resmon;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * When a line was logged.
 *
 * @param seconds   on the log's continuous axis (see {@link ResmonLog}); NaN when the log shows no times
 * @param clock     time of day as the log printed it, or null when it showed elapsed seconds
 * @param date      the date (DebugView++ exports), or null
 * @param line      the 1-based line number
 */
public record LogTime(double seconds, LocalTime clock, LocalDate date, long line) {
    static LogTime of(LinePosition r, double seconds) {
        return new LogTime(seconds, r.clockMillis() < 0 ? null : LocalTime.ofNanoOfDay(r.clockMillis() * 1_000_000L),
                r.date(), r.line());
    }

    /**
     * {@code 17:48:44} (clock time as printed), {@code 2026-11-30 04:05:16.123} (DebugView++), {@code +1:20:05.250}
     * (elapsed time: hours, minutes, seconds since the log's first line) or {@code line 12} (no times).
     */
    public String label() {
        if (clock != null) {
            return date == null ? clock.toString() : date + " " + clock;
        }
        if (!Double.isNaN(seconds)) {
            long ms = Math.round(seconds * 1000);
            return String.format(java.util.Locale.ROOT, "+%d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60,
                    ms / 1000 % 60, ms % 1000);
        }
        return "line " + line;
    }
}
