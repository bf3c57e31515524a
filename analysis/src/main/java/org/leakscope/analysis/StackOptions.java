package org.leakscope.analysis;

import org.leakscope.stackwalk.StackWalker;

/**
 * Which threads' stacks a dump report walks, how deep, and whether each frame's recovered registers go in.
 *
 * @param threads   the threads walked: all, the crashing one, or none (the report then has no frames and no crash
 *                  signature)
 * @param maxFrames frames per thread at most ({@link StackWalker#DEFAULT_MAX_FRAMES} by default)
 * @param registers true to keep each frame's recovered registers in the report
 */
public record StackOptions(Threads threads, int maxFrames, boolean registers) {
    /** No stack walk: the report as before stacks were walked (each thread's top frame only). */
    public static final StackOptions NONE = new StackOptions(Threads.NONE, StackWalker.DEFAULT_MAX_FRAMES, false);

    /** The walker's own frame limit, the default of {@code --frames}. */
    public static final int DEFAULT_MAX_FRAMES = StackWalker.DEFAULT_MAX_FRAMES;

    public StackOptions {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be at least 1, got " + maxFrames);
        }
    }

    /** The threads whose stacks are walked. */
    public enum Threads {
        ALL, CRASHED, NONE
    }
}
