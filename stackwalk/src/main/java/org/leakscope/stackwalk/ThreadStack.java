package org.leakscope.stackwalk;

import java.util.List;

/**
 * A thread's call stack, innermost frame first.
 *
 * @param threadId the thread
 * @param crashed  true for the thread the exception names: frame 0 came from the exception's context
 * @param frames   the frames found, frame 0 first; empty when the thread has no context
 * @param end      why the walk stopped, as a sentence: no caller found, the frame limit, the time limit, ...
 */
public record ThreadStack(long threadId, boolean crashed, List<StackFrame> frames, String end) {
    public ThreadStack {
        frames = List.copyOf(frames);
    }
}
