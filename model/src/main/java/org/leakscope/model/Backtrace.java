package org.leakscope.model;

import java.util.List;

/**
 * A call stack, innermost frame first. {@code traceId} is the producer's own identifier (UMDH's BackTraceID),
 * meaningful only inside one process lifetime; null when the producer has none.
 */
public record Backtrace(String traceId, List<Frame> frames) {

    public Backtrace {
        frames = List.copyOf(frames);
    }

    public static Backtrace of(Frame... frames) {
        return new Backtrace(null, List.of(frames));
    }

    /** The call site: the innermost frame, or null for an empty backtrace (a trace whose stack was not saved). */
    public Frame top() {
        return frames.isEmpty() ? null : frames.get(0);
    }
}
