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

    /** Seconds on the axis for the reader's current line, or NaN when the line shows no time. */
    double at(DebugViewReader r) {
        int m;
        double raw;
        if (r.date() != null) {
            m = DATETIME;
            raw = r.date().toEpochDay() * 86400.0 + r.clockMillis() / 1000.0;
        } else if (r.clockMillis() >= 0) {
            m = CLOCK;
            double c = r.clockMillis() / 1000.0;
            if (lastClock >= 0 && c < lastClock - 43200) {
                days++;
            }
            lastClock = c;
            raw = days * 86400.0 + c;
        } else if (!Double.isNaN(r.elapsedSeconds())) {
            m = ELAPSED;
            raw = r.elapsedSeconds();
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
