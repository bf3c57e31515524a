package org.leakscope.analysis;

import java.util.List;
import java.util.Map;

/**
 * The aggregate of a triage run over many files, built from their records ({@link TriageAggregate}); text and
 * {@code leakscope.triage/1} JSON are rendered from it. Every list is in a fixed order (ties by name), so the
 * same records give the same summary whatever order the files finished in.
 *
 * @param counts       what the files were
 * @param signatures   crash signatures, most dumps first
 * @param leakingSites call sites that leaked at a monitored run's exit (logs), most runs first, then most bytes
 * @param liveSites    call sites holding live resources in resmon tables (dumps, table images), most files first
 * @param limits       limit violations by process and resource, most violations first
 * @param failed       files of a known kind that could not be read, with the error, by name
 * @param damaged      files read with damage recorded (the first problem, and how many), by name
 */
public record TriageSummary(Counts counts, List<SignatureGroup> signatures, List<SiteGroup> leakingSites,
        List<SiteGroup> liveSites, List<LimitGroup> limits, List<FileNote> failed, List<FileNote> damaged) {

    /** Values kept per group at most (versions, OS builds, processes); the count of all is beside them. */
    public static final int MAX_VALUES = 10;
    /** Example files per crash signature. */
    public static final int MAX_EXAMPLES = 3;

    /**
     * @param files    inputs looked at
     * @param byKind   recognised files by kind ({@code minidump}, {@code resmon-log}, ...)
     * @param skipped  files of no known kind
     * @param failed   files of a known kind that could not be read
     * @param damaged  files read with problems
     * @param crashes  dumps with an exception
     * @param runs     monitored runs in the logs
     * @param verdicts those runs by verdict
     */
    public record Counts(int files, Map<String, Integer> byKind, int skipped, int failed, int damaged, int crashes,
            int runs, Map<String, Integer> verdicts) {
    }

    /**
     * Dumps with one crash signature.
     *
     * @param signature  the signature (or {@code (no stack) EXCEPTION} when the crashing thread was not walked)
     * @param exceptions the exception names seen with it
     * @param count      dumps
     * @param firstSeen  the earliest dump time, ISO-8601, or null
     * @param lastSeen   the latest
     * @param processes  program names, sorted (the first {@value TriageSummary#MAX_VALUES})
     * @param versions   main-module versions seen, sorted (capped the same)
     * @param osBuilds   operating systems and builds seen, sorted (capped the same)
     * @param examples   the first {@value TriageSummary#MAX_EXAMPLES} files by name
     * @param topFrames  the crashing thread's top frames of the first example
     */
    public record SignatureGroup(String signature, List<String> exceptions, int count, String firstSeen,
            String lastSeen, List<String> processes, List<String> versions, List<String> osBuilds,
            List<String> examples, List<String> topFrames) {
    }

    /**
     * One call site across files.
     *
     * @param kind      the resource kind
     * @param site      the call site
     * @param runs      runs (logs) or tables (dumps, images) holding resources there
     * @param machines  distinct computers among them (a file that names none counts as its own)
     * @param files     distinct files
     * @param count     resources, summed
     * @param bytes     bytes, summed
     * @param processes program names, sorted (capped)
     * @param firstSeen the earliest time of those runs, or null (only times the files' content carries count: a dump's
     *                  header, a table's update, a dated log line; never a file's modified time)
     * @param lastSeen  the latest
     * @param trend     runs and bytes per day (UTC dates of the runs' times), oldest first; empty without times
     * @param direction {@code rising}, {@code falling} or {@code flat}: runs on the last day against the first;
     *                  null with fewer than two days
     */
    public record SiteGroup(String kind, String site, int runs, int machines, int files, long count, long bytes,
            List<String> processes, String firstSeen, String lastSeen, List<Day> trend, String direction) {
    }

    /** Runs (or tables) and bytes at a call site on one day. */
    public record Day(String day, int runs, long bytes) {
    }

    /** Limit updates of one resource in one program's runs. */
    public record LimitGroup(String process, String resource, long violations, int runs, int files) {
    }

    /** A file and what went wrong with it; {@code problems} is how many were recorded (1 for a failure). */
    public record FileNote(String file, String kind, String message, int problems) {
    }
}
