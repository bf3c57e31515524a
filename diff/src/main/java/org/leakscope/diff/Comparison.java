package org.leakscope.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * Two snapshots compared by stack: every stack whose bytes or count changed, largest growth first, and totals
 * over all stacks (including those a filter hides).
 *
 * @param unchanged stacks present with the same bytes and count in both
 */
public record Comparison(KeyKind key, List<StackChange> changes, long oldBytes, long newBytes, long oldCount,
        long newCount, long oldOverhead, long newOverhead, int unchanged) {
    public Comparison {
        changes = List.copyOf(changes);
    }

    public long bytesDelta() {
        return newBytes - oldBytes;
    }

    public long countDelta() {
        return newCount - oldCount;
    }

    public long overheadDelta() {
        return newOverhead - oldOverhead;
    }

    /** A stack as one string, for ordering ties. */
    static String stackText(org.leakscope.model.Backtrace b) {
        StringBuilder sb = new StringBuilder();
        for (org.leakscope.model.Frame f : b.frames()) {
            sb.append(f.describe()).append('|');
        }
        return sb.toString();
    }

    /**
     * The changes ranked by {@code order} (growth first, then shrinkage, like umdh), keeping those whose
     * |delta| reaches {@code minDelta} (in bytes, or allocations for COUNT), then the first {@code top}
     * (all when top ≤ 0).
     */
    public List<StackChange> select(SortOrder order, long minDelta, int top) {
        boolean byCount = order == SortOrder.COUNT;
        List<StackChange> out = new ArrayList<>();
        for (StackChange c : changes) {
            long d = byCount ? c.countDelta() : c.bytesDelta();
            if (Math.abs(d) >= minDelta) {
                out.add(c);
            }
        }
        out.sort(byCount ? Comparison::byCountFirst : Comparison::byBytesFirst);
        return top > 0 && out.size() > top ? List.copyOf(out.subList(0, top)) : out;
    }

    // One method per order, not a chain of Comparator combinators: ranking the 154k rows of a compare of two 1 GB
    // logs (code the JVM has not compiled yet) took 132-200 ms through five lambdas a comparison, 53-117 ms here.

    private static int byBytesFirst(StackChange x, StackChange y) {
        int c = Long.compare(y.bytesDelta(), x.bytesDelta()); // growth first
        if (c == 0) {
            c = Long.compare(y.countDelta(), x.countDelta());
        }
        return c != 0 ? c : tieBreak(x, y);
    }

    private static int byCountFirst(StackChange x, StackChange y) {
        int c = Long.compare(y.countDelta(), x.countDelta());
        if (c == 0) {
            c = Long.compare(y.bytesDelta(), x.bytesDelta());
        }
        return c != 0 ? c : tieBreak(x, y);
    }

    /** Row order depends on hashing; these last tie-breaks make the ranking the same on every run. */
    private static int tieBreak(StackChange x, StackChange y) {
        int c = (x.traceId() == null ? "" : x.traceId()).compareTo(y.traceId() == null ? "" : y.traceId());
        return c != 0 ? c : stackText(x.backtrace()).compareTo(stackText(y.backtrace()));
    }
}
