package org.leakscope.resmon;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * One line of captured debug output.
 *
 * @param line           1-based line in the file
 * @param sequence       DebugView's sequence number, or null (plain capture, DebugView++ export)
 * @param elapsedSeconds time since the capture started, when the log shows elapsed time
 * @param clockTime      wall-clock time of day, when the log shows clock time (a file may switch between the
 *                       two); both null in a plain capture
 * @param date           the date, in DebugView++ exports only
 * @param processId      the {@code [pid] } prefix of a user-mode (OutputDebugString) line; null for kernel
 *                       (DbgPrint) lines, which have none
 * @param processName    DebugView++'s process column, else null
 * @param message        the text after the prefix, trailing blanks kept (resmon pads some lines)
 */
public record DebugViewRecord(long line, Long sequence, Double elapsedSeconds, LocalTime clockTime, LocalDate date,
        Long processId, String processName, String message) {
}
