package org.leakscope.analysis;

import org.leakscope.diff.Comparison;
import org.leakscope.diff.StackChange;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;

/**
 * What a leak gate ({@code leakdiff --fail-above}) judges: the larger of the total's growth and each stack's,
 * and whose it is.
 *
 * @param ofTotal true when the total grew most (or no stack grew more)
 * @param traceId the stack's trace id when a stack grew most (null: the total, or a stack without one)
 */
public record Growth(long bytes, boolean ofTotal, String traceId) {
    /** The largest growth in a comparison: the total's, or one stack's when it grew more. */
    public static Growth worst(Comparison c) {
        Growth worst = new Growth(c.bytesDelta(), true, null);
        for (StackChange s : c.changes()) {
            worst = worst.orStack(s.bytesDelta(), s.traceId());
        }
        return worst;
    }

    /** The largest growth over a trend, first snapshot to last: the total's, or one stack's. */
    public static Growth worst(TrendReport r) {
        Growth worst = new Growth(r.totalBytes()[r.totalBytes().length - 1] - r.totalBytes()[0], true, null);
        for (StackTrend s : r.stacks()) {
            worst = worst.orStack(s.bytesDelta(), s.traceId());
        }
        return worst;
    }

    private Growth orStack(long stackBytes, String id) {
        return stackBytes > bytes ? new Growth(stackBytes, false, id) : this;
    }
}
