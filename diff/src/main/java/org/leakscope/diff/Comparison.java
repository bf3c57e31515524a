package org.leakscope.diff;

import java.util.ArrayList;
import java.util.Comparator;
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
        Comparator<StackChange> byDelta = order == SortOrder.COUNT
                ? Comparator.comparingLong(StackChange::countDelta).thenComparingLong(StackChange::bytesDelta)
                : Comparator.comparingLong(StackChange::bytesDelta).thenComparingLong(StackChange::countDelta);
        List<StackChange> out = new ArrayList<>();
        for (StackChange c : changes) {
            long d = order == SortOrder.COUNT ? c.countDelta() : c.bytesDelta();
            if (Math.abs(d) >= minDelta) {
                out.add(c);
            }
        }
        // Row order depends on hashing; the last tie-breaks make the ranking the same on every run.
        out.sort(byDelta.reversed().thenComparing(c -> c.traceId() == null ? "" : c.traceId())
                .thenComparing(c -> stackText(c.backtrace())));
        return top > 0 && out.size() > top ? List.copyOf(out.subList(0, top)) : out;
    }
}
