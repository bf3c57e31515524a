package org.leakscope.cli;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.model.InputFormatException;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;

/**
 * Which run of a log leakdiff compares: the one --run names, else the last run that has a report (a soak
 * log's latest), saying so when the log held others.
 */
final class RunChoice {
    private RunChoice() {
    }

    static SnapshotInput pick(String path, ResmonLog log, Integer runIndex, ResmonLogOptions o) {
        List<ResmonRun> runs = log.runs();
        String filter = o.processId() == null && o.processName() == null ? ""
                : " (after --pid/--process: " + (o.processId() != null ? "pid " + o.processId() : "")
                        + (o.processName() != null ? (o.processId() != null ? ", " : "") + o.processName() : "") + ")";
        UsageException missed = RunFilter.matchedNothing(o, List.of(log));
        if (missed != null) {
            throw missed;
        }
        if (runs.isEmpty()) {
            throw InputFormatException.atLine(path, 1, "a run of a resmon-monitored program with a resource report"
                    + filter, "no resmon output");
        }
        ResmonRun chosen = null;
        if (runIndex != null) {
            for (ResmonRun r : runs) {
                if (r.index() == runIndex) {
                    chosen = r;
                }
            }
            if (chosen == null) {
                throw new UsageException("--run " + runIndex + ": " + path + " has runs " + list(runs) + filter);
            }
        } else {
            for (ResmonRun r : runs) {
                if (r.report() != null) {
                    chosen = r;
                }
            }
        }
        if (chosen == null || chosen.report() == null) {
            throw InputFormatException.atLine(path, chosen == null ? 1 : chosen.start().line(),
                    "an exit or on-demand resource report" + filter, "runs without one (still running when the capture"
                            + " ended, or crashed): " + list(runs));
        }
        List<String> notes = new ArrayList<>();
        if (runs.size() > 1 && runIndex == null) {
            notes.add("holds " + runs.size() + " runs: " + list(runs) + "; comparing run " + chosen.index()
                    + " (the last with a report; choose with --run, --pid or --process)");
        }
        ResmonReport rep = chosen.report();
        if (!rep.exit()) {
            notes.add("run " + chosen.index() + " has no exit report: comparing its last on-demand report (line "
                    + rep.start().line() + "), which lists what was alive then, not what leaked");
        } else if (!rep.complete()) {
            notes.add("run " + chosen.index() + "'s exit report is cut off at line " + rep.endLine());
        }
        String note = notes.isEmpty() ? null : path + ": " + String.join("; ", notes);
        return new SnapshotInput(path, null, null, log, chosen, chosen.snapshot(path, log.problems()), note);
    }

    private static String list(List<ResmonRun> runs) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (ResmonRun r : runs) {
            if (n++ == 8) {
                sb.append(", ... (logscan lists them all)");
                break;
            }
            sb.append(n > 1 ? ", " : "").append(r.index()).append(" = ").append(r.label()).append(" lines ")
                    .append(r.start().line()).append("..").append(r.end().line());
        }
        return sb.toString();
    }
}
