package org.leakscope.minidump;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.Problem;
import org.leakscope.model.Snapshot;

/**
 * A resmon tracking table as read from a dump or a table image (docs/formats/resmon-table.md): who wrote it,
 * its limits and totals, and the live resources grouped by kind and stack.
 *
 * @param headerVa        where the table header is in the traced process
 * @param flags           bit 0 clean exit, bit 1 fatal signal, bit 2 records dropped
 * @param startTimeNs     capture start, ns since 1970 UTC
 * @param histogram       32 buckets: allocations with size above the previous upper bound and at most 16 << i
 * @param sites           live resources by kind and stack, most bytes first
 * @param examples        the first live records one by one (at most 1000)
 * @param liveRecords     live records read, all kinds
 * @param modules         the module list as written (1.1; empty for a 1.0 table or a tracker that keeps none),
 *                        unloaded modules included
 * @param problems        chunks and module entries that could not be read (the rest of the table is still reported)
 */
public record TrackingTable(String source, long headerVa, int versionMajor, int versionMinor, int pointerSize,
        long flags, long processId, String processName, long startTimeNs, long updateTimeNs, TableLimits limits,
        TableTotals totals, List<Long> histogram, List<TableSite> sites, List<TableRecord> examples,
        long liveRecords, List<TableModule> modules, List<Problem> problems) {
    public TrackingTable {
        histogram = List.copyOf(histogram);
        sites = List.copyOf(sites);
        examples = List.copyOf(examples);
        modules = List.copyOf(modules);
        problems = List.copyOf(problems);
    }

    /** Configured limits, as the tracker's environment set them. */
    public record TableLimits(long memoryBytes, long cpuPercent, long threads, long syncObjects, long intervalMs,
            long diskBytes) {
    }

    /** The tracker's running totals. */
    public record TableTotals(long allocatedBytes, long freedBytes, long liveBytes, long peakBytes, long allocations,
            long frees, long droppedRecords, long liveThreads, long liveSyncObjects, long liveHandles) {
    }

    public boolean cleanExit() {
        return (flags & 1) != 0;
    }

    public boolean fatalSignal() {
        return (flags & 2) != 0;
    }

    /**
     * The modules to resolve addresses with: every loaded one, and each unloaded one (the latest first) where no
     * module already taken covers its range, so an address maps to at most one module. Modules whose path
     * could not be read are left out: a frame is better shown as an address than in a nameless module.
     */
    public ModuleMap moduleMap() {
        List<TableModule> order = new ArrayList<>(modules.stream().filter(m -> !m.unloaded()).toList());
        List<TableModule> gone = new ArrayList<>(modules.stream().filter(TableModule::unloaded).toList());
        java.util.Collections.reverse(gone);
        order.addAll(gone);
        List<Module> taken = new ArrayList<>();
        for (TableModule t : order) {
            Module m = t.module();
            if (t.path() != null && t.size() > 0 && taken.stream().noneMatch(o -> overlap(o, m))) {
                taken.add(m);
            }
        }
        return ModuleMap.of(taken);
    }

    private static boolean overlap(Module a, Module b) {
        return Long.compareUnsigned(a.base(), b.base() + b.size()) < 0
                && Long.compareUnsigned(b.base(), a.base() + a.size()) < 0;
    }

    /**
     * The live resources as a snapshot for the diff engine: one aggregate per kind and stack, frames as
     * module+offset through {@link #moduleMap()} (the same in two runs whatever the load addresses).
     */
    public Snapshot snapshot() {
        ModuleMap map = moduleMap();
        List<BacktraceAggregate> aggs = new ArrayList<>(sites.size());
        for (TableSite s : sites) {
            List<Frame> frames = new ArrayList<>(s.frames().size());
            for (long f : s.frames()) {
                frames.add(map.frame(f));
            }
            // the call site doubles as the trace id (UMDH-style output prints one)
            String id = s.frames().isEmpty() ? "None" : Long.toHexString(s.frames().get(0)).toUpperCase(java.util.Locale.ROOT);
            aggs.add(new BacktraceAggregate(new Backtrace(id, frames), s.kind(), s.bytes(), s.count(), 0));
        }
        return new Snapshot(source, processId, processName, java.time.Instant.ofEpochSecond(0, startTimeNs),
                map, List.of(), aggs, problems);
    }
}
