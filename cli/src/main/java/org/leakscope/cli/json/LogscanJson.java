package org.leakscope.cli.json;

import java.util.List;
import org.leakscope.analysis.ModuleSymbols;
import org.leakscope.analysis.FrameJson;
import java.util.Map;

/**
 * {@code logscan --json}: the records here are the schema (docs/json.md). Field order is the declaration
 * order; fields are null where the log does not say.
 */
public final class LogscanJson {
    public static final String SCHEMA = "leakscope.logscan/1";

    private LogscanJson() {
    }

    public record Document(String schema, List<Input> inputs, List<Run> runs, Summary summary, List<String> warnings,
            List<ModuleSymbols> symbols) {
    }

    /** One log file. */
    public record Input(String file, String encoding, String computer, boolean framed, long records, long resmonLines,
            int runs, int warnings) {
    }

    /** A point in the log: seconds on the log's time axis, the clock time as printed (if any), the line. */
    public record Time(Double seconds, String clock, long line) {
    }

    /**
     * @param memoryModulo4GiB the memory limit update that shows the {@code memory used} samples were printed
     *                         modulo 4 GiB (x64 resmon), or null
     */
    public record Run(String file, int index, Long processId, String module, boolean kernel, Time start, Time end,
            Double durationSeconds, boolean timesEstimated, String verdict, boolean leaked, boolean overLimit,
            List<String> findings, Usage usage, Limits limits, Long intervalMs, Report report, int onDemandReports,
            LimitEvent memoryModulo4GiB) {
    }

    public record Usage(Series memoryBytes, Series threads, Series syncObjects, Series cpuPercent, Long diskBytesWritten) {
    }

    /**
     * @param perHour least-squares growth per hour; null with too few samples for a trend
     * @param sustained steady growth (see docs/json.md); null with too few samples
     */
    public record Series(long samples, Long first, Long last, Long peak, Double peakAtSeconds, Double perHour,
            Boolean sustained, Integer risingSteps, Integer fallingSteps) {
    }

    public record Limits(Map<String, Long> updates, List<LimitEvent> events) {
    }

    public record LimitEvent(String resource, long from, long to, Time at) {
    }

    /**
     * The exit report, else the last on-demand report.
     *
     * @param callSitesTotal how many call sites the report has; {@code callSites} holds the first {@code --top}
     * @param sizeWrap block sizes printed modulo 4 GiB, or null when they add up to {@code memoryBytes}
     */
    public record Report(boolean exit, boolean complete, long startLine, long endLine, Long resmonMemoryBytes,
            Long memoryBytes, Long threads, Long syncObjects, long resourcesListed, boolean notAllFree,
            List<String> activeThreads, boolean blocked, int callSitesTotal, List<CallSite> callSites,
            List<Bucket> histogram, SizeWrap sizeWrap) {
    }

    /** See org.leakscope.resmon.SizeWrap; {@code fixes} only when corrected, {@code reason} only when not. */
    public record SizeWrap(long listedBytes, long totalBytes, long wraps, boolean corrected, long correctedBlocks,
            List<SizeFix> fixes, String reason) {
    }

    public record SizeFix(String returnAddress, String callSite, long addedBytes) {
    }

    /**
     * Records that leaked from one call site (docs/attribution.md).
     *
     * @param returnAddress the call site's address: the first frame of the records' stacks outside the allocator
     *                      and the runtime (the records' own return address when nothing was folded)
     * @param callSite      module+offset or module!function when the log names the modules (Leakscope's
     *                      trackers), else the address
     * @param frame         the call site as a frame object
     * @param folded        the frames folded above it, innermost first (of its largest stack); empty when none
     * @param stacks        the distinct recorded stacks merged into this site, most bytes first, at most
     *                      {@code MAX_STACKS}; each whole, innermost first
     * @param stacksTotal   how many distinct stacks were merged
     */
    public record CallSite(String kind, String returnAddress, String callSite, long count, long bytes,
            List<String> types, FrameJson frame, List<FrameJson> folded, List<Stack> stacks, int stacksTotal) {
    }

    /** Stacks listed per call site. */
    public static final int MAX_STACKS = 16;

    /** One recorded stack of a call site, with the records that had it. */
    public record Stack(long count, long bytes, List<FrameJson> frames) {
    }

    public record Bucket(long lower, long upper, long allocations) {
    }

    public record Summary(int runs, int leaked, int overLimit, int clean, int incomplete) {
    }
}
