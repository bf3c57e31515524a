package org.leakscope.model;

/**
 * What one call stack holds in a snapshot: bytes and allocation count, plus allocator overhead when the
 * producer reports it (UMDH does). This is the unit the diff engine compares.
 */
public record BacktraceAggregate(Backtrace backtrace, ResourceKind kind, long bytes, long count, long overhead) {
}
