package org.leakscope.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A call stack, innermost frame first. {@code traceId} is the producer's own identifier (UMDH's BackTraceID),
 * meaningful only inside one process lifetime; null when the producer has none.
 *
 * @param aliases other stacks the producer recorded under the same id (UMDH prints them after a line
 *                {@code Alias}); shown beside the stack, never part of what it is matched by. Usually empty.
 */
public record Backtrace(String traceId, List<Frame> frames, List<List<Frame>> aliases) {

    public Backtrace {
        frames = frames instanceof IndexedFrames || frames instanceof AddressStack ? frames // already immutable
                : List.copyOf(frames);
        if (aliases.isEmpty()) {
            aliases = List.of();
        } else {
            List<List<Frame>> a = new ArrayList<>(aliases.size());
            for (List<Frame> alias : aliases) {
                a.add(List.copyOf(alias));
            }
            aliases = List.copyOf(a);
        }
    }

    public Backtrace(String traceId, List<Frame> frames) {
        this(traceId, frames, List.of());
    }

    public static Backtrace of(Frame... frames) {
        return new Backtrace(null, List.of(frames));
    }

    /** The call site: the innermost frame, or null for an empty backtrace (a trace whose stack was not saved). */
    public Frame top() {
        return frames.isEmpty() ? null : frames.get(0);
    }
}
