package org.leakscope.cli.json;

import java.util.List;
import org.leakscope.analysis.FrameJson;

/**
 * {@code dumpscan --resmon --json} and {@code dumpscan TABLE.rmt --json}: the records here are the schema
 * (docs/json.md).
 */
public final class ResmonTableJson {
    public static final String SCHEMA = "leakscope.dumpscan-resmon/1";

    private ResmonTableJson() {
    }

    public record Document(String schema, List<Input> inputs) {
    }

    /**
     * @param kind         {@code minidump} (tables found by scanning its memory) or {@code table-image}
     * @param scannedBytes captured memory scanned (minidumps), else null
     */
    public record Input(String file, String kind, Long scannedBytes, List<Table> tables, List<String> problems) {
    }

    /**
     * @param foundIn     {@code user-stream} (the launcher stored it), {@code memory} (found by scanning), {@code file}
     * @param modulesFrom whose module list resolved the frames: {@code dump}, {@code table}, or null (none)
     * @param modules     the table's own module list (1.1), null for a 1.0 table
     * @param callSites   {@code sites} merged by call site (docs/attribution.md), what the text report lists
     */
    public record Table(String foundIn, String address, String version, int pointerSize, boolean cleanExit, boolean fatalSignal,
            long processId, String processName, String started, String updated, Limits limits, Totals totals,
            long liveRecords, List<Site> sites, List<CallSite> callSites, List<Bucket> histogram, String modulesFrom,
            List<Module> modules, List<String> problems) {
    }

    /**
     * @param loadTimeNs   ns after the capture started when the tracker first saw it; null: loaded before
     * @param unloadTimeNs when the tracker saw it gone; null while loaded
     */
    public record Module(String base, long size, String name, String path, String debugFile, String debugId,
            String codeId, Long loadTimeNs, Long unloadTimeNs) {
    }

    public record Limits(long memoryBytes, long cpuPercent, long threads, long syncObjects, long intervalMs,
            long diskBytes) {
    }

    public record Totals(long allocatedBytes, long freedBytes, long liveBytes, long peakBytes, long allocations,
            long frees, long droppedRecords, long liveThreads, long liveSyncObjects, long liveHandles) {
    }

    /**
     * @param callSite     the stack's first frame outside the allocator and the runtime (docs/attribution.md);
     *                     null for a site without frames
     * @param foldedFrames how many frames of {@code frames}, from the top, were folded above it
     */
    public record Site(String kind, long count, long bytes, List<String> subtypes, List<FrameJson> frames,
            FrameJson callSite, int foldedFrames) {
    }

    /**
     * The stacks of one kind merged by call site (docs/attribution.md), most bytes first.
     *
     * @param callSite   the first frame outside the allocator and the runtime; null for records without frames
     * @param folded     the frames folded above it in its largest stack, innermost first
     * @param calledFrom the frame above the call site in its largest stack, or null
     * @param stacks     how many of {@code sites}' stacks were merged here
     */
    public record CallSite(String kind, long count, long bytes, List<String> subtypes, FrameJson callSite,
            List<FrameJson> folded, FrameJson calledFrom, int stacks) {
    }

    public record Bucket(long lower, long upper, long allocations) {
    }
}
