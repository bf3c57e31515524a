package org.leakscope.resmon;

import org.leakscope.model.UsageSeries;

/**
 * How to read a log with resmon output.
 *
 * @param debugView     framing, encoding, strictness
 * @param processId     keep only runs of this pid, or null
 * @param processName   keep only runs whose module name equals this (case-insensitive, {@code .exe} optional),
 *                      or null
 * @param maxExamples   resources kept one by one per report (all are counted in the call-site groups)
 * @param maxCallSites  distinct call sites per report before the rest are counted as one group
 * @param keepCurves    a finished run keeps its usage curves (at most {@link UsageSeries#MAX_POINTS} points per
 *                      series, about 80 KB a run) for drawing; otherwise only their statistics
 * @param threads       threads that read a log's lines (the caller's included), at least 1; the output does not
 *                      depend on it
 */
public record ResmonLogOptions(DebugViewOptions debugView, Long processId, String processName, int maxExamples,
        int maxCallSites, boolean keepCurves, int threads) {
    public ResmonLogOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads);
        }
    }

    /** Every run kept, curves dropped, as many reading threads as processors. */
    public static ResmonLogOptions defaults() {
        return new ResmonLogOptions(DebugViewOptions.defaults(), null, null, 20, 100_000, false,
                Runtime.getRuntime().availableProcessors());
    }

    /** These options reading a log's lines on {@code n} threads (the caller's included). */
    public ResmonLogOptions withThreads(int n) {
        return new ResmonLogOptions(debugView, processId, processName, maxExamples, maxCallSites, keepCurves, n);
    }

    public ResmonLogOptions withDebugView(DebugViewOptions d) {
        return new ResmonLogOptions(d, processId, processName, maxExamples, maxCallSites, keepCurves, threads);
    }

    public ResmonLogOptions withFilter(Long pid, String name) {
        return new ResmonLogOptions(debugView, pid, name, maxExamples, maxCallSites, keepCurves, threads);
    }

    /** These options keeping (or not) each run's usage curves, for a report that draws them. */
    public ResmonLogOptions withCurves(boolean keep) {
        return new ResmonLogOptions(debugView, processId, processName, maxExamples, maxCallSites, keep, threads);
    }

    boolean accepts(long pid, String module) {
        if (processId != null && processId != pid) {
            return false;
        }
        if (processName == null) {
            return true;
        }
        String m = module.toLowerCase(java.util.Locale.ROOT);
        String want = processName.toLowerCase(java.util.Locale.ROOT);
        return m.equals(want) || m.equals(want + ".exe") || m.equals(want + ".sys") || m.equals(want + ".dll");
    }
}
