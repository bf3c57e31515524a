package org.leakscope.analysis;

import java.util.List;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.resmon.RunOutline;

/**
 * A {@code --pid}/{@code --process} filter that left out runs and kept none: the user named a process the logs do
 * not have. Holds what each log does have, so a front end can list the runs to choose from.
 *
 * @param processId   the pid asked for, or null
 * @param processName the process (or driver) name asked for, or null
 * @param logs        each log with the runs the filter left out
 */
public record FilterMiss(Long processId, String processName, List<LogRuns> logs) {
    /** Copies the list: a report does not change after it is made. */
    public FilterMiss {
        logs = List.copyOf(logs);
    }

    /**
     * One log's runs, as outlines.
     *
     * @param source       the log, as named
     * @param leftOutCount how many runs the filter left out (may exceed {@code leftOut.size()}: outlines are capped)
     * @param leftOut      the runs left out, in log order
     */
    public record LogRuns(String source, int leftOutCount, List<RunOutline> leftOut) {
        /** Copies the list. */
        public LogRuns {
            leftOut = List.copyOf(leftOut);
        }
    }

    /** The miss, or null when the filter matched a run, was not set, or the logs hold no resmon output at all. */
    static FilterMiss of(ResmonLogOptions o, List<ResmonLog> logs) {
        if (!LogAnalysis.filterMatchedNothing(o, logs)) {
            return null;
        }
        return new FilterMiss(o.processId(), o.processName(),
                logs.stream().map(l -> new LogRuns(l.source(), l.leftOutCount(), l.leftOut())).toList());
    }
}
