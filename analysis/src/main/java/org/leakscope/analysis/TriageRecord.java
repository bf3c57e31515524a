package org.leakscope.analysis;

import java.util.List;
import java.util.Map;

/**
 * What triage learned from one input file: one JSON Lines record of {@code triage --records}, and what the
 * aggregate ({@link TriageSummary}) is built from, whether just read or remembered by {@code --state}. Plain values
 * only (strings, numbers, lists), so a record read back from JSON equals the one written.
 *
 * @param file     the file as found (a remembered record is given the path it has now)
 * @param sha256   the content hash, lower-case hex; what {@code --state} remembers a file by
 * @param size     bytes
 * @param kind     {@link InputKind#jsonName()}; null when the file is none of the kinds (then {@code skipped})
 * @param skipped  why a file of no known kind was passed over, else null
 * @param error    why a file of a known kind could not be read (truncated, damaged, unreadable), else null
 * @param identity who wrote it, where and when; null for a skipped or failed file
 * @param crash    a dump's exception and crash signature; null for other kinds and dumps without an exception
 * @param liveSites the resmon table's live resources by call site, largest first (a table image, or tables found
 *                 in a dump); empty when there is none
 * @param runs     a log's runs of monitored programs with their verdicts; empty for other kinds
 * @param problems damage met while reading a file whose record was still made, one message each (capped)
 */
public record TriageRecord(String file, String sha256, long size, String kind, String skipped, String error,
        Identity identity, Crash crash, List<Site> liveSites, List<Run> runs, List<String> problems) {
    /** The record format's name; a record of another version in a {@code --state} folder is read again. */
    public static final String VERSION = "leakscope.triage-record/1";

    public TriageRecord {
        liveSites = liveSites == null ? List.of() : List.copyOf(liveSites);
        runs = runs == null ? List.of() : List.copyOf(runs);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /**
     * The same record for a file with the same content elsewhere (a copy, a moved folder): the readers' messages
     * name the file, so they name the new one.
     */
    public TriageRecord at(String path) {
        if (path.equals(file)) {
            return this;
        }
        return new TriageRecord(path, sha256, size, kind, skipped == null ? null : skipped.replace(file, path),
                error == null ? null : error.replace(file, path), identity, crash, liveSites, runs,
                problems.stream().map(p -> p.replace(file, path)).toList());
    }

    /**
     * Who wrote the file, where and when.
     *
     * @param process  the program's file name (a dump's main module, a table's process, a log's first run)
     * @param pid      its process id, or null
     * @param version  the main module's file version, or null
     * @param os       operating system and build ({@code Windows NT 10.0.19045}), or null
     * @param machine  the computer's name when the file says it (DebugView's first line, UMDH's header), else null
     * @param time     when, ISO-8601 UTC: a dump's header time, a table's last update, a log's dated first line
     * @param timeFrom where {@code time} came from: {@code dump}, {@code table}, {@code log}, {@code umdh}, or
     *                 {@code file-modified} when the content carries no date
     */
    public record Identity(String process, Long pid, String version, String os, String machine, String time,
            String timeFrom) {
    }

    /**
     * A dump's crash.
     *
     * @param signature the crashing thread's crash signature (as dumpscan prints it), or null when not walked
     * @param exception the exception's name ({@code EXCEPTION_ACCESS_VIOLATION_WRITE}, {@code SIGSEGV / ...})
     * @param code      its code, {@code 0xc0000005}
     * @param address   the faulting address
     * @param topFrames the crashing thread's innermost frames, as {@code module!function+offset} or
     *                  {@code module+offset}
     */
    public record Crash(String signature, String exception, String code, String address, List<String> topFrames) {
        public Crash {
            topFrames = topFrames == null ? List.of() : List.copyOf(topFrames);
        }
    }

    /**
     * Resources of one kind from one call site (the first frame below the allocator, docs/attribution.md).
     *
     * @param kind  {@code memory}, {@code handle}, {@code thread}, ... as the readers name resource kinds
     * @param site  the call site as {@code module!function+offset}, {@code module+offset} or an address
     * @param count resources
     * @param bytes bytes (0 for kinds without a size)
     */
    public record Site(String kind, String site, long count, long bytes) {
    }

    /**
     * One run of a monitored program in a log.
     *
     * @param process the program or driver as resmon named it
     * @param pid     its process id, null for a driver
     * @param verdict {@code leaked}, {@code over-limit}, {@code clean} or {@code incomplete}
     * @param start   when it started, ISO-8601 (the log's date and clock), or null when the log has no date
     * @param leaked  what its exit report lists as not freed, by call site, largest first (empty unless leaked)
     * @param limits  limit violations counted by resource ({@code memory}, {@code threads}, ...)
     */
    public record Run(String process, Long pid, String verdict, String start, List<Site> leaked,
            Map<String, Long> limits) {
        public Run {
            leaked = leaked == null ? List.of() : List.copyOf(leaked);
            limits = limits == null ? Map.of() : Map.copyOf(limits);
        }
    }
}
