package org.leakscope.analysis;

import java.util.List;
import org.leakscope.resmon.ResmonLog;

/**
 * What logscan reports on DebugView logs with resmon output: the logs as read, every run of every log with its
 * verdict, and the reader's warnings. Text and JSON renderers both read this.
 *
 * @param logs                 the logs, in the order given
 * @param runs                 every run of every log, in log order then run order
 * @param warnings             the lines the readers could not use, one message each (file and line)
 * @param filterMiss the --pid/--process filter left out runs and kept none: the runs there are, for a front end
 *                   to list; null when it matched, was not set, or the logs hold no resmon output
 * @param symbols    where the names of each module the runs' frames lie in came from
 */
public record LogReport(List<ResmonLog> logs, List<LoggedRun> runs, List<String> warnings, FilterMiss filterMiss,
        List<ModuleSymbols> symbols) {
    /** Copies the lists: a report does not change after it is made. */
    public LogReport {
        logs = List.copyOf(logs);
        runs = List.copyOf(runs);
        warnings = List.copyOf(warnings);
        symbols = List.copyOf(symbols);
    }

    /** Whether the --pid/--process filter left out runs and kept none ({@link #filterMiss()} is set). */
    public boolean filterMatchedNothing() {
        return filterMiss != null;
    }

    /** The runs counted by verdict. */
    public RunCounts counts() {
        return RunCounts.of(runs);
    }
}
