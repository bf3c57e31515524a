package org.leakscope.model;

import java.time.Instant;
import java.util.List;

/**
 * What was alive in one process at one moment, from any producer (minidump resmon table, UMDH log, resmon
 * log exit report, capture snapshot).
 *
 * @param source      the file it was read from
 * @param processId   or null
 * @param processName or null
 * @param time        or null
 * @param modules     address → module map at that moment
 * @param resources   individual live resources, when the producer lists them
 * @param aggregates  per-backtrace totals, when the producer aggregates (UMDH), or derived from resources
 * @param problems    non-fatal damage found while reading
 */
public record Snapshot(String source, Long processId, String processName, Instant time, ModuleMap modules,
        List<Resource> resources, List<BacktraceAggregate> aggregates, List<Problem> problems) {

    public Snapshot {
        resources = List.copyOf(resources);
        aggregates = List.copyOf(aggregates);
        problems = List.copyOf(problems);
    }
}
