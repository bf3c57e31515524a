package org.leakscope.resmon;

/**
 * How to read a log with resmon output.
 *
 * @param debugView     framing, encoding, strictness
 * @param processId     keep only runs of this pid, or null
 * @param processName   keep only runs whose module name equals this (case-insensitive, {@code .exe} optional),
 *                      or null
 * @param maxExamples   resources kept one by one per report (all are counted in the call-site groups)
 * @param maxCallSites  distinct call sites per report before the rest are counted as one group
 */
public record ResmonLogOptions(DebugViewOptions debugView, Long processId, String processName, int maxExamples,
        int maxCallSites) {
    public static ResmonLogOptions defaults() {
        return new ResmonLogOptions(DebugViewOptions.defaults(), null, null, 20, 100_000);
    }

    public ResmonLogOptions withDebugView(DebugViewOptions d) {
        return new ResmonLogOptions(d, processId, processName, maxExamples, maxCallSites);
    }

    public ResmonLogOptions withFilter(Long pid, String name) {
        return new ResmonLogOptions(debugView, pid, name, maxExamples, maxCallSites);
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
