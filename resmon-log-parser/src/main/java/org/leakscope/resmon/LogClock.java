package org.leakscope.resmon;

/**
 * One continuous time axis (seconds) for a log whose lines show elapsed seconds, clock time or DebugView++
 * date-times, possibly switching between them (a user can toggle the clock mid-capture). Clock time that jumps
 * back by more than 12 hours has passed midnight. When the format changes, the new format's first line is
 * placed at the previous line's time, so durations stay right within each stretch and nothing runs backwards.
 * The reader asks only for the first line's time and the times of resmon lines (other lines are never parsed),
 * so a midnight is seen as long as resmon prints at least every 12 hours; its monitor prints every few seconds.
 */
final class LogClock {
    private static final int NONE = 0;
    private static final int ELAPSED = 1;
    private static final int CLOCK = 2;
    private static final int DATETIME = 3;

    private int mode = NONE;
    private double offset;
    private double last = Double.NaN;
    private double lastClock = -1;
    private long days;

    /**
     * Seconds on the axis for the next line in the log's order, or NaN when it shows no time.
     *
     * @param date        its date (DebugView++), or null
     * @param clockMillis its time of day, or -1
     * @param elapsed     its elapsed seconds, or NaN
     */
    double at(java.time.LocalDate date, int clockMillis, double elapsed) {
        int m;
        double raw;
        if (date != null) {
            m = DATETIME;
            raw = date.toEpochDay() * 86400.0 + clockMillis / 1000.0;
        } else if (clockMillis >= 0) {
            m = CLOCK;
            double c = clockMillis / 1000.0;
            if (lastClock >= 0 && c < lastClock - 43200) {
                days++;
            }
            lastClock = c;
            raw = days * 86400.0 + c;
        } else if (!Double.isNaN(elapsed)) {
            m = ELAPSED;
            raw = elapsed;
        } else {
            return last;
        }
        if (m != mode) {
            offset = (Double.isNaN(last) ? 0 : last) - raw;
            mode = m;
        }
        double t = raw + offset;
        if (!Double.isNaN(last) && t < last) {
            t = last; // elapsed time printed as float32 can step back a hair; keep the axis monotonic
        }
        last = t;
        return t;
    }
}
