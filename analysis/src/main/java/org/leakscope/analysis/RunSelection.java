package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Snapshot;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;

/**
 * Which run of a log a comparison uses: the one numbered, else the last run that has a report (a soak log's
 * latest), with a note when the log held others or the report is not a complete exit report.
 */
public sealed interface RunSelection {
    /**
     * The run chosen.
     *
     * @param run      the run, with its report
     * @param snapshot its report's live resources, named by {@code path}
     * @param note     why this run, and what its report is, for people (null when there is nothing to say)
     */
    record Chosen(ResmonRun run, Snapshot snapshot, String note) implements RunSelection {
    }

    /** --pid/--process left out every run: a usage problem (see {@link LogAnalysis#filterMatchedNothing}). */
    record FilterMatchedNothing() implements RunSelection {
    }

    /**
     * The log has no run with that number.
     *
     * @param runIndex the number asked for
     * @param runs   the runs it has, for people ("1 = notepad.exe lines 3..40, ...")
     * @param filter the active --pid/--process, for people ("" when none)
     */
    record NoSuchRun(int runIndex, String runs, String filter) implements RunSelection {
    }

    /**
     * Chooses the run of {@code log} to compare.
     *
     * @param path     the log as the user named it
     * @param runIndex the run asked for, or null for the last with a report
     * @param o        the options the log was read with (its --pid/--process)
     * @throws InputFormatException when the log has no resmon run, or the run has no report
     */
    static RunSelection choose(String path, ResmonLog log, Integer runIndex, ResmonLogOptions o) {
        List<ResmonRun> runs = log.runs();
        String filter = !LogAnalysis.filterActive(o) ? ""
                : " (after --pid/--process: " + (o.processId() != null ? "pid " + o.processId() : "")
                        + (o.processName() != null ? (o.processId() != null ? ", " : "") + o.processName() : "") + ")";
        if (LogAnalysis.filterMatchedNothing(o, List.of(log))) {
            return new FilterMatchedNothing();
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
                return new NoSuchRun(runIndex, list(runs), filter);
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
        return new Chosen(chosen, chosen.snapshot(path, log.problems()), note);
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
