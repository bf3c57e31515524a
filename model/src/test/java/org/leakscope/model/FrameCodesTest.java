package org.leakscope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Stack keys as leakdiff's indexed compare uses them: equal frames in equal order give equal keys, allocator frames
 * on top are folded off, and different stacks - reorderings, one frame more or less - get different keys.
 */
class FrameCodesTest {
    private static final long A = FrameCodes.ALLOCATOR;

    /** Codes as KeyCodes makes them: seeded hashes, never 0, the top bit for an allocator frame. */
    private static long[] pool(int n, long seed) {
        Random r = new Random(seed);
        long[] codes = new long[n];
        for (int i = 0; i < n; i++) {
            codes[i] = (SeededHash.mix(r.nextLong()) & ~A) | 1;
        }
        return codes;
    }

    private static long key(long... codes) {
        return FrameCodes.fingerprint(codes, codes.length);
    }

    @Test
    void allocatorFramesOnTopAreFoldedOff() {
        long[] c = pool(4, 1);
        assertEquals(key(c[0], c[1]), key(c[2] | A, c[0], c[1]));
        assertEquals(key(c[0], c[1]), key(c[2] | A, c[3] | A, c[0], c[1]));
        assertNotEquals(key(c[0], c[1]), key(c[0], c[2] | A, c[1]), "only frames on top are folded");
        // a stack of allocator frames only keeps its last one
        assertEquals(key(c[3] | A), key(c[2] | A, c[3] | A));
        assertNotEquals(key(c[2] | A), key(c[2] | A, c[3] | A));
        assertEquals(1, FrameCodes.folded(new long[] {c[2] | A, c[3] | A}, 2));
    }

    @Test
    void orderAndLengthMatter() {
        long[] c = pool(3, 2);
        assertNotEquals(key(c[0], c[1]), key(c[1], c[0]));
        assertNotEquals(key(c[0], c[1]), key(c[0], c[1], c[2]));
        assertNotEquals(key(c[0]), key(c[0], c[0]));
        assertEquals(key(c[0], c[1], c[2]), FrameCodes.fingerprint(new long[] {c[0], c[1], c[2], c[1]}, 3),
                "only the first n codes count");
    }

    @Test
    void distinctStacksOfFewFramesGetDistinctKeys() {
        // 200k stacks drawn from 12 frames (so many are reorderings or extensions of others): a key for every
        // distinct sequence, and the keys' top 32 bits (what the merge sorts by) nearly all distinct
        long[] c = pool(12, 3);
        Random r = new Random(4);
        Map<Long, String> seen = new HashMap<>();
        Set<Long> top = new HashSet<>();
        for (int s = 0; s < 200_000; s++) {
            long[] stack = new long[1 + r.nextInt(24)];
            for (int i = 0; i < stack.length; i++) {
                stack[i] = c[r.nextInt(c.length)];
            }
            String text = Arrays.toString(stack);
            String before = seen.putIfAbsent(key(stack), text);
            assertTrue(before == null || before.equals(text), "two stacks share a key: " + before + ", " + text);
            top.add(key(stack) >>> 32);
        }
        assertTrue(top.size() >= seen.size() - 50, top.size() + " top halves for " + seen.size() + " keys");
    }

    @Test
    void twoFramesAStepGiveTheOneAtATimeSum() {
        // the key is the documented polynomial: the frame count, then one multiply-add per frame, mixed once
        long[] c = pool(48, 5);
        for (int allocators = 0; allocators <= 3; allocators++) {
            for (int n = allocators + 1; n <= c.length; n++) {
                long[] stack = c.clone();
                for (int i = 0; i < allocators; i++) {
                    stack[i] |= A;
                }
                long h = n - allocators;
                for (int i = allocators; i < n; i++) {
                    h = h * 0x9E37_79B9_7F4A_7C15L + (stack[i] & ~A);
                }
                assertEquals(SeededHash.mix(h), FrameCodes.fingerprint(stack, n), n + " frames, " + allocators
                        + " folded");
            }
        }
    }
}
