package org.leakscope.umdh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frame numbers of every stack of a log, back to back in chunks of 1M ints (a 1 GB log with 3 million
 * stacks holds 66 million). A chunk is never copied once full, so the store grows without a second copy of
 * itself, and the stacks handed out ({@link org.leakscope.model.IndexedFrames}) keep these arrays instead of an
 * array of references each. A stack never straddles two chunks: when one fills, the stack being collected moves
 * to the next. The first chunk starts small and grows (a small log stays small). A position is
 * {@code chunk << 20 | offset}.
 */
final class StackFrames {
    private static final int CHUNK_BITS = 20;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private final List<int[]> chunks = new ArrayList<>();
    private int[] current = new int[1 << 12];
    private int fill;    // used in current
    private int segment; // where the stack being collected starts in current
    private final boolean keepsAll;

    StackFrames() {
        this(true);
    }

    private StackFrames(boolean keepsAll) {
        this.keepsAll = keepsAll;
        chunks.add(current);
    }

    /** A store that holds only the stack being collected: starting one forgets the last. */
    static StackFrames oneAtATime() {
        return new StackFrames(false);
    }

    /** Starts collecting a stack. */
    void start() {
        if (!keepsAll) {
            fill = 0;
        }
        segment = fill;
    }

    /** Frames of the stack being collected so far. */
    int length() {
        return fill - segment;
    }

    /** Where the stack being collected starts (valid until the next {@link #add}). */
    int position() {
        return (chunks.size() - 1) << CHUNK_BITS | segment;
    }

    void add(int frame) {
        if (fill == current.length) {
            if (current.length < CHUNK) {
                current = Arrays.copyOf(current, current.length * 2); // only the first chunk grows
                chunks.set(chunks.size() - 1, current);
            } else {
                if (chunks.size() == 1 << (31 - CHUNK_BITS)) {
                    throw new IllegalStateException("more than 2^31 stack frames");
                }
                int[] next = new int[CHUNK];
                int len = fill - segment;
                System.arraycopy(current, segment, next, 0, len);
                chunks.add(next);
                current = next;
                segment = 0;
                fill = len;
            }
        }
        current[fill++] = frame;
    }

    /** The array holding the stack at {@code position}. */
    int[] chunk(int position) {
        return chunks.get(position >>> CHUNK_BITS);
    }

    /** The stack's start in {@link #chunk}. */
    static int offset(int position) {
        return position & (CHUNK - 1);
    }
}
