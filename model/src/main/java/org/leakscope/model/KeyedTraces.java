package org.leakscope.model;

import java.io.IOException;
import java.util.List;

/**
 * A snapshot's traces as columns, each stack present only as its key ({@link FrameCodes#fingerprint}) and read
 * again on demand: what a reader hands over when the stacks' frames would not fit the heap. Trace numbers run
 * from 0 in any order (a reader numbers them as it makes them); {@link #appearance} orders them as they first
 * appear in the input.
 */
public interface KeyedTraces {
    int size();

    /**
     * Where trace {@code t} first appears in the input (a line number, or any non-negative number below 2^62 that
     * orders the traces so), distinct per trace: which of several traces sharing a stack represents it, and the
     * order rows that tie are shown in, follow it.
     */
    long appearance(int t);

    /** The producer's id of trace {@code t}. */
    String id(int t);

    /** A key of the id, equal for equal ids in every snapshot of a run. */
    long idKey(int t);

    long bytes(int t);

    long count(int t);

    long overhead(int t);

    /** False for a trace whose stack never appeared: only its id can match it. */
    boolean hasStack(int t);

    /** The stack's key under the {@link FrameCodes} it was read with; valid when {@link #hasStack}. */
    long stackKey(int t);

    /**
     * The stacks of some traces, read again, in the order asked (an empty list for a trace without one).
     *
     * @param verify the codes the stacks were keyed with, to check each stack read again has its key (the input
     *               changed since it was read: an {@link InputFormatException}); null not to check
     */
    List<List<Frame>> stacks(int[] traces, FrameCodes verify) throws IOException;

    /**
     * {@link #stacks(int[], FrameCodes)}, and in {@code folded[i]} how many allocator frames the key of stack i
     * folds off its top under {@code verify} ({@link FrameCodes#folded}; 0 when {@code verify} is null or the
     * stack is empty). A reader that codes each frame it reads again can tell without another pass over the
     * frames.
     */
    default List<List<Frame>> stacks(int[] traces, FrameCodes verify, int[] folded) throws IOException {
        List<List<Frame>> out = stacks(traces, verify);
        if (verify == null) {
            return out;
        }
        long[] codes = new long[64];
        for (int i = 0; i < out.size(); i++) {
            List<Frame> frames = out.get(i);
            if (codes.length < frames.size()) {
                codes = new long[frames.size()];
            }
            for (int f = 0; f < frames.size(); f++) {
                codes[f] = verify.code(frames.get(f));
            }
            folded[i] = frames.isEmpty() ? 0 : FrameCodes.folded(codes, frames.size());
        }
        return out;
    }

    /**
     * {@link #stacks(int[], FrameCodes, int[])} on up to {@code threads} threads, each checking with codes of its
     * own from {@code verify} (FrameCodes are used from one thread; the supplier may give null not to check). By
     * default on the calling thread alone.
     */
    default List<List<Frame>> stacks(int[] traces, java.util.function.Supplier<FrameCodes> verify, int[] folded,
            int threads) throws IOException {
        return stacks(traces, verify.get(), folded);
    }
}
