package org.leakscope.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.leakscope.model.Frame;
import org.leakscope.model.ResourceKind;

/**
 * Resources of one kind that leaked from the same code: the recorded sites (one per distinct stack) whose stacks
 * have the same attribution frame, merged, so records with the same leaking call and different callers above it
 * are one site with their counts added (docs/attribution.md).
 *
 * @param attribution the merged stacks' attribution (the first member's folded frames); null when the records
 *                    had no stack at all
 * @param members     the recorded sites merged here, most bytes first
 * @param stacks      each member's stack, resolved, in the same order
 */
public record AttributedSite<T>(ResourceKind kind, Attribution attribution, List<T> members, List<List<Frame>> stacks,
        long count, long bytes) {
    public AttributedSite {
        members = List.copyOf(members);
        stacks = List.copyOf(stacks);
    }

    /** Merges sites by kind and attribution frame address, most bytes (then count) first, ties in input order. */
    public static <T> List<AttributedSite<T>> merge(List<T> sites, AllocatorFolding folding,
            Function<T, ResourceKind> kind, Function<T, List<Frame>> frames, ToLongFunction<T> count,
            ToLongFunction<T> bytes) {
        record Key(ResourceKind kind, Long address) {
        }
        final class Group {
            final List<T> members = new ArrayList<>();
            final List<List<Frame>> stacks = new ArrayList<>();
            Attribution attribution;
            long count;
            long bytes;
        }
        Map<Key, Group> groups = new LinkedHashMap<>();
        for (T s : sites) {
            List<Frame> stack = frames.apply(s);
            Attribution a = folding.attribute(stack);
            Group g = groups.computeIfAbsent(new Key(kind.apply(s), a == null ? null : a.site().address()),
                    k -> new Group());
            if (g.attribution == null) {
                g.attribution = a;
            }
            g.members.add(s);
            g.stacks.add(List.copyOf(stack));
            g.count += count.applyAsLong(s);
            g.bytes += bytes.applyAsLong(s);
        }
        List<AttributedSite<T>> out = new ArrayList<>(groups.size());
        for (Map.Entry<Key, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            out.add(new AttributedSite<>(e.getKey().kind(), g.attribution, g.members, g.stacks, g.count, g.bytes));
        }
        out.sort(Comparator.comparingLong((AttributedSite<T> s) -> s.bytes()).reversed()
                .thenComparing(Comparator.comparingLong((AttributedSite<T> s) -> s.count()).reversed()));
        return out;
    }

    /** The attribution frame, or null when the records had no stack. */
    public Frame site() {
        return attribution == null ? null : attribution.site();
    }
}
