package org.leakscope.resmon;

/**
 * A run named but not read in full: one that {@code --pid}/{@code --process} left out, so a filter that
 * matches nothing can say what the log does hold.
 *
 * @param index     the run's number, as without the filter
 * @param processId the pid, null for a kernel (driver) run
 * @param module    the monitored module's name
 * @param firstLine its first resmon line
 */
public record RunOutline(int index, Long processId, String module, long firstLine) {
    static RunOutline of(ResmonRun r) {
        return new RunOutline(r.index(), r.processId(), r.module(), r.start().line());
    }

    /** {@code notepad.exe [2540]} or {@code driver.sys (kernel)}, as {@link ResmonRun#label()}. */
    public String label() {
        return module + (processId == null ? " (kernel)" : " [" + processId + "]");
    }
}
