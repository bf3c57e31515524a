package org.leakscope.resmon;

import java.time.LocalDate;

/** Where the line being parsed is: its number and the time it shows (for {@link LogTime}). */
interface LinePosition {
    long line();

    /** Time of day in milliseconds, or -1. */
    int clockMillis();

    /** The date (DebugView++ exports), or null. */
    LocalDate date();
}
