package org.leakscope.diff;

import org.leakscope.model.Backtrace;

/**
 * What one call stack held before and after.
 *
 * @param backtrace     a representative stack (from the newest snapshot that has it), all frames kept
 * @param foldedFrames  allocator frames at its top that the key ignored
 * @param traceId       the producer's id in the newest snapshot that has it (UMDH BackTrace), or null
 * @param mergedTraces  most distinct trace ids that fell on this key in one snapshot (1 = no merging)
 */
public record StackChange(Backtrace backtrace, int foldedFrames, String traceId, long oldBytes, long newBytes,
        long oldCount, long newCount, long oldOverhead, long newOverhead, int mergedTraces) {
    public long bytesDelta() {
        return newBytes - oldBytes;
    }

    public long countDelta() {
        return newCount - oldCount;
    }

    public long overheadDelta() {
        return newOverhead - oldOverhead;
    }
}
