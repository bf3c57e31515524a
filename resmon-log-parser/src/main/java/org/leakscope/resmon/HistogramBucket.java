package org.leakscope.resmon;

/**
 * One row of resmon's {@code allocations detail}: allocations (cumulative since install, not only live ones)
 * whose size was above {@code lower} and at most {@code upper}; the first row starts at 0.
 */
public record HistogramBucket(long lower, long upper, long count) {
}
