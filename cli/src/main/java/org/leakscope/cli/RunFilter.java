package org.leakscope.cli;

import java.util.List;
import org.leakscope.analysis.LogAnalysis;
import org.leakscope.cli.text.Fit;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.resmon.RunOutline;

/** --pid / --process as the user typed them, and the usage error when they match no run of a log. */
final class RunFilter {
    private static final int RUNS_NAMED = 20;

    private RunFilter() {
    }

    /** {@code --pid 1}, {@code --process notepad}, or both. */
    static String describe(ResmonLogOptions o) {
        String pid = o.processId() == null ? "" : "--pid " + o.processId();
        String name = o.processName() == null ? "" : "--process " + o.processName();
        return (pid + " " + name).strip();
    }

    /**
     * When the filter left out runs and kept none: the runs each log does have (number, process, first line),
     * so the user can pick one. Null when something matched or the logs hold no resmon output at all.
     */
    static UsageException matchedNothing(ResmonLogOptions o, List<ResmonLog> logs) {
        if (!LogAnalysis.filterMatchedNothing(o, logs)) {
            return null;
        }
        String head = Fit.middleInBytes(describe(o), 60) + " matches no run";
        StringBuilder sb = new StringBuilder(head);
        // "logscan: " goes before it: one log joins the first line when that still fits
        boolean oneLine = logs.size() == 1 && 10 + head.length() + 2 + logs.get(0).source().length() + 5 <= Fit.WIDTH;
        for (ResmonLog l : logs) {
            sb.append(oneLine ? "; " : "\n  ").append(Fit.middleInBytes(l.source(), 100))
                    .append(l.leftOutCount() == 0 ? " has no resmon runs" : " has:");
            int n = 0;
            for (RunOutline r : l.leftOut()) {
                if (n++ == RUNS_NAMED) {
                    break;
                }
                sb.append("\n    run ").append(r.index()).append(": ").append(Fit.middleInBytes(r.label(), 80))
                        .append(", from line ").append(r.firstLine());
            }
            int more = l.leftOutCount() - Math.min(n, RUNS_NAMED);
            if (more > 0) {
                sb.append("\n    ... and ").append(more).append(" more (logscan without --pid/--process lists"
                        + " them all)");
            }
        }
        return new UsageException(sb.toString());
    }
}
