package org.leakscope.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.Snapshot;

/**
 * Lines up call sites recorded as bare absolute addresses (resmon reports) across two runs of one program.
 * ASLR loads the image at another base each run, but only in 64 KiB steps, so one call site keeps its low 16
 * address bits. Every pair of sites that agree in those bits votes for a shift (new minus old); the shift with
 * the most votes wins when it explains at least half of the smaller run's sites and no other shift ties it.
 * Sites sharing their low bits with more than {@value #MAX_GROUP} others of the older run cast no vote: they
 * cannot tell shifts apart, and voting every pair of them would make a log whose sites all agree in those bits
 * cost the product of the two runs' sizes.
 */
public final class AddressShift {
    private static final long GRANULE = 0xFFFF;
    static final int MAX_GROUP = 256;

    /**
     * @param shift   new address minus old address for the same code (0: the runs agree already)
     * @param matched call sites the shift lines up
     * @param sites   call sites in the smaller of the two snapshots
     */
    public record Result(long shift, int matched, int sites) {
    }

    private AddressShift() {
    }

    /** The shift that lines {@code newer}'s call sites up with {@code older}'s, or null when none stands out. */
    public static Result find(Snapshot older, Snapshot newer) {
        List<Long> a = sites(older);
        List<Long> b = sites(newer);
        if (a.isEmpty() || b.isEmpty()) {
            return null;
        }
        Map<Long, List<Long>> byLow = new HashMap<>();
        for (long x : a) {
            byLow.computeIfAbsent(x & GRANULE, k -> new ArrayList<>()).add(x);
        }
        Map<Long, Integer> votes = new HashMap<>();
        for (long y : b) {
            List<Long> group = byLow.getOrDefault(y & GRANULE, List.of());
            if (group.size() > MAX_GROUP) {
                continue;
            }
            for (long x : group) {
                votes.merge(y - x, 1, Integer::sum);
            }
        }
        long best = 0;
        int bestVotes = 0;
        boolean tie = false;
        for (Map.Entry<Long, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
                tie = false;
            } else if (e.getValue() == bestVotes) {
                tie = true;
            }
        }
        int smaller = Math.min(a.size(), b.size());
        if (bestVotes == 0 || tie || bestVotes * 2 < smaller) {
            return null;
        }
        return new Result(best, bestVotes, smaller);
    }

    /** The snapshot with every bare-address frame moved by {@code -shift}. */
    public static Snapshot apply(Snapshot s, long shift) {
        if (shift == 0) {
            return s;
        }
        List<BacktraceAggregate> out = new ArrayList<>(s.aggregates().size());
        for (BacktraceAggregate agg : s.aggregates()) {
            List<Frame> frames = new ArrayList<>(agg.backtrace().frames().size());
            for (Frame f : agg.backtrace().frames()) {
                frames.add(f.module() == null ? Frame.unresolved(f.address() - shift) : f);
            }
            out.add(new BacktraceAggregate(new Backtrace(agg.backtrace().traceId(), frames,
                    agg.backtrace().aliases()), agg.kind(), agg.bytes(), agg.count(), agg.overhead()));
        }
        return new Snapshot(s.source(), s.processId(), s.processName(), s.time(), s.modules(), s.resources(), out,
                s.problems());
    }

    private static List<Long> sites(Snapshot s) {
        List<Long> out = new ArrayList<>();
        for (BacktraceAggregate agg : s.aggregates()) {
            Frame top = agg.backtrace().top();
            if (top != null && top.module() == null) {
                out.add(top.address());
            }
        }
        return out;
    }
}
