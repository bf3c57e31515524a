package org.leakscope.diff;

import org.leakscope.model.Backtrace;

/**
 * One call stack across N snapshots.
 *
 * @param bytes          per snapshot, oldest first (0 where the stack was absent)
 * @param counts         per snapshot
 * @param bytesPerUnit   least-squares growth in bytes per hour (or per snapshot when the snapshots carry no times)
 * @param countPerUnit   the same for allocations
 * @param risingSteps    steps between consecutive snapshots where bytes grew
 * @param fallingSteps   steps where bytes shrank
 * @param sustained      grew overall, rose in at least two thirds of the steps and fell in at most a quarter: a
 *                       leak rather than one noisy step
 */
public record StackTrend(Backtrace backtrace, int foldedFrames, String traceId, int mergedTraces, long[] bytes,
        long[] counts, double bytesPerUnit, double countPerUnit, int risingSteps, int fallingSteps,
        boolean sustained) {
    public long firstBytes() {
        return bytes[0];
    }

    public long lastBytes() {
        return bytes[bytes.length - 1];
    }

    public long bytesDelta() {
        return lastBytes() - firstBytes();
    }

    public long countDelta() {
        return counts[counts.length - 1] - counts[0];
    }
}
