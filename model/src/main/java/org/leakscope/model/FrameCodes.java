package org.leakscope.model;

/**
 * A frame's identity under some way of matching stacks, as a 64-bit code, for readers that key a stack while
 * reading it instead of keeping its frames (a 1 GB UMDH log holds 3 million stacks: 250 MB of frame numbers per
 * file). Equal identities give equal codes in every snapshot of a run; the top bit marks an allocator frame, which
 * {@link #fingerprint} folds off the top of a stack. Implementations are used from one thread.
 */
public interface FrameCodes {
    /** The top bit of a code: the frame belongs to the allocator or runtime and is folded off a stack's top. */
    long ALLOCATOR = Long.MIN_VALUE;

    /** The frame's code: a hash of its identity (never 0), with {@link #ALLOCATOR} set for an allocator frame. */
    long code(Frame frame);

    /**
     * Codes of the raw return addresses in one module of a log's module table, by module offset (below 2^40):
     * what {@link #code} gives the Frame {@link ModuleMap#frame} makes for each, without making one (a log's
     * millions of raw return addresses).
     */
    default java.util.function.LongUnaryOperator module(Module module) {
        return offset -> code(Frame.unresolved(module.base() + offset).withModule(module.name(), offset));
    }

    /**
     * A stack read again for a report, as these codes saw its frames: with the names codes that name a frame
     * before coding it gave it (a symbol service's); by default the stack itself.
     */
    default java.util.List<Frame> shown(java.util.List<Frame> stack) {
        return stack;
    }

    /**
     * A stack's key from its frames' codes: allocator frames at the top are folded off (at least one frame is
     * kept), the rest hashed in order with their number. Two stacks with equal keys match; two different ones
     * collide with probability about 2^-63 per pair: the codes are seeded hashes, random to a file, and a
     * polynomial in a fixed odd multiplier over random values vanishes that rarely; the sum is mixed once at the
     * end so every bit of the key depends on every frame (the merge sorts by the high bits).
     * <p>
     * One multiply-add per frame, not a full mix: each step waits for the one before, and a mix per frame (about
     * 17 cycles) made this chain about 7 % of the CPU time reading a 1 GB log of 3 million stacks took.
     */
    static long fingerprint(long[] codes, int n) {
        final long k = 0x9E37_79B9_7F4A_7C15L; // odd: no two sums so far merge
        final long k2 = k * k;
        int first = folded(codes, n);
        long h = n - first;
        int i = first;
        if (((n - first) & 1) != 0) {
            h = h * k + (codes[i++] & ~ALLOCATOR);
        }
        // two frames a step, the same sum: (h K + a) K + b = h K^2 + (a K + b), where a K + b waits for no step
        // before it, so the chain of dependent multiplies is half as long (a stack of 21 frames: 84 -> 44 cycles)
        for (; i < n; i += 2) {
            h = h * k2 + ((codes[i] & ~ALLOCATOR) * k + (codes[i + 1] & ~ALLOCATOR));
        }
        return SeededHash.mix(h);
    }

    /** How many frames at the top {@link #fingerprint} folds off. */
    static int folded(long[] codes, int n) {
        int i = 0;
        while (i < n - 1 && codes[i] < 0) {
            i++;
        }
        return i;
    }
}
