package org.leakscope.cli.text;

import org.leakscope.analysis.FilterMiss;
import org.leakscope.resmon.RunOutline;

/** The usage error when --pid / --process match no run: the filter as typed, and the runs each log does have. */
public final class FilterMissText {
    private static final int RUNS_NAMED = 20;

    private FilterMissText() {
    }

    /**
     * The message (the command's name goes before it), with the runs each log has (number, process, first
     * line), so the user can pick one.
     *
     * @param miss the filter and the runs it left out
     * @return the message; one line when a single log's answer fits, else one line per log and run
     */
    public static String render(FilterMiss miss) {
        String pid = miss.processId() == null ? "" : "--pid " + miss.processId();
        String name = miss.processName() == null ? "" : "--process " + miss.processName();
        String head = Fit.middleInBytes((pid + " " + name).strip(), 60) + " matches no run";
        StringBuilder sb = new StringBuilder(head);
        // "logscan: " goes before it: one log joins the first line when that still fits
        boolean oneLine = miss.logs().size() == 1
                && 10 + head.length() + 2 + miss.logs().get(0).source().length() + 5 <= Fit.WIDTH;
        for (FilterMiss.LogRuns l : miss.logs()) {
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
        return sb.toString();
    }
}
