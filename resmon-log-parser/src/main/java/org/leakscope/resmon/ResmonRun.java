package org.leakscope.resmon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.Problem;
import org.leakscope.model.Snapshot;
import org.leakscope.model.UsageSeries;

/**
 * One run of a monitored program or driver in a log: from its first {@code |resmon| } line to its exit report
 * (or the end of the log). Usage series are on the log's time axis in seconds.
 *
 * @param index           1-based, in the order runs start in the log
 * @param processId       the pid of a user-mode run, null for a kernel (driver) run
 * @param module          the monitored module's name as resmon printed it ({@code notepad.exe}, {@code x.sys})
 * @param memory          {@code memory used}: live tracked bytes
 * @param threads         {@code threads used} (counts resmon's monitor and the main thread in user mode)
 * @param syncObjects     {@code sync object used}
 * @param cpuPercent      the process's CPU share of the machine per interval (0 when resmon printed no line)
 * @param diskBytes       bytes the process wrote since it started (cumulative)
 * @param limitEvents     the first 100 limit updates, in order
 * @param limitCounts     every limit update counted by resource
 * @param intervalMs      the last {@code monitoring pause update}, or null (resmon's default is 5000 ms)
 * @param estimatedTimes  the log has no times: samples are placed one interval apart
 * @param exitReport      the exit block, or null (still running at the end of the capture, or crashed)
 * @param lastOnDemand    the last on-demand report, or null
 * @param onDemandReports how many on-demand reports there were
 * @param lines           how many resmon lines belong to the run
 * @param modules         loaded modules, from the {@code module} lines Leakscope's trackers write, with the ids
 *                        those lines carry (empty for resmon's own output, which has none)
 * @param crash           what resmon.dll said when the program crashed without a debugger
 *                        ({@code unhandled exception 0xC0000005 at 0x...}), or null
 * @param memoryWrap      the first memory limit update showing that {@code memory used} was printed modulo 4 GiB
 *                        (x64 resmon prints it with {@code %u}; the update prints the same value whole), or null
 */
public record ResmonRun(int index, Long processId, String module, LogTime start, LogTime end, UsageSeries memory,
        UsageSeries threads, UsageSeries syncObjects, UsageSeries cpuPercent, UsageSeries diskBytes,
        List<LimitEvent> limitEvents, Map<String, Long> limitCounts, Long intervalMs, boolean estimatedTimes,
        ResmonReport exitReport, ResmonReport lastOnDemand, int onDemandReports, long lines, ModuleMap modules,
        String crash, LimitEvent memoryWrap) {
    public ResmonRun {
        limitEvents = List.copyOf(limitEvents);
        limitCounts = Map.copyOf(limitCounts);
    }

    public boolean kernel() {
        return processId == null;
    }

    /** The report that says what was left: the exit block, else the last on-demand one, else null. */
    public ResmonReport report() {
        return exitReport != null ? exitReport : lastOnDemand;
    }

    /** A return address, with its module and offset when the log named the modules. */
    public Frame frame(long address) {
        Frame f = Frame.unresolved(address);
        return modules.find(address).map(m -> f.withModule(m.name(), address - m.base())).orElse(f);
    }

    /** This run with another module list (the modules' bases recovered from the run's return addresses). */
    public ResmonRun withModules(ModuleMap m) {
        return new ResmonRun(index, processId, module, start, end, memory, threads, syncObjects, cpuPercent,
                diskBytes, limitEvents, limitCounts, intervalMs, estimatedTimes, exitReport, lastOnDemand,
                onDemandReports, lines, m, crash, memoryWrap);
    }

    /** {@code notepad.exe [2540]} or {@code driver.sys (kernel)}. */
    public String label() {
        return module + (processId == null ? " (kernel)" : " [" + processId + "]");
    }

    /**
     * The unreleased resources as a snapshot for the diff engine: one aggregate per kind and stack, the stack as
     * the backtrace (resmon records only the return address; Leakscope's trackers the whole stack) whose trace id
     * is the return address in hex (with a hash of the stack when there is one).
     */
    public Snapshot snapshot(String source, List<Problem> problems) {
        ResmonReport r = report();
        List<BacktraceAggregate> aggs = new ArrayList<>();
        if (r != null) {
            for (CallSite s : r.callSites()) {
                // The return address doubles as the trace id (UMDH-style output needs one); a whole stack adds a
                // hash of it, as records with one return address and different callers are different sites here.
                Backtrace bt = s.returnAddress() == null ? new Backtrace("None", List.of())
                        : new Backtrace(Long.toHexString(s.returnAddress()).toUpperCase(java.util.Locale.ROOT)
                                + (s.stack().size() > 1 ? String.format("-%08X", s.stack().hashCode()) : ""),
                                s.stack().stream().map(this::frame).toList());
                aggs.add(new BacktraceAggregate(bt, s.kind(), s.bytes(), s.count(), 0));
            }
        }
        return new Snapshot(source, processId, module, null, modules,
                r == null ? List.of() : r.examples(), aggs, problems);
    }
}
