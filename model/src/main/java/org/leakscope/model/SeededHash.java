package org.leakscope.model;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Hash codes for tables keyed by values an input chooses: return addresses, trace ids, stacks, process names.
 * Under a fixed hash a file can hold keys that all land in one slot (by accident, like addresses that agree in
 * the bits a truncated hash keeps, or on purpose), and every lookup then walks past all the others: quadratic
 * time, a reader busy for hours. These hashes mix a key drawn at random once per run into the value and spread
 * every bit of it over every bit of the result (murmur3's 64-bit finaliser), so which keys collide changes from
 * run to run and cannot be chosen when the file is written. Not a cryptographic MAC: collisions are as rare as
 * for random keys, which is what a hash table needs.
 */
public final class SeededHash {
    private static final long SEED;
    private static final long MULTIPLIER;

    static {
        SplittableRandom r = new SplittableRandom(); // seeded from the clocks of this run
        SEED = r.nextLong();
        MULTIPLIER = r.nextLong() | 1;
    }

    private SeededHash() {
    }

    /** All 64 bits depend on every bit of {@code key}: a table may use the low bits, the high bits or both. */
    public static long mix(long key) {
        long h = (key ^ SEED) * MULTIPLIER;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /** A hash code for a pair of values (a kind and an address, a process id and a name hash). */
    public static int of(long a, long b) {
        return (int) mix(mix(a) + b);
    }

    /** A hash code for a sequence of ints (a stack as token numbers). */
    public static int of(int[] values) {
        long h = values.length;
        for (int v : values) {
            h = mix(h + v);
        }
        return (int) h;
    }

    /** A hash code for a sequence of longs (a stack as addresses). */
    public static int of(List<Long> values) {
        long h = values.size();
        for (long v : values) {
            h = mix(h + v);
        }
        return (int) h;
    }

    /** A 64-bit hash of a string (names a file chooses), like {@link #mix(long)} for a number. */
    public static long mix(CharSequence s) {
        long h = s.length();
        for (int i = 0; i < s.length(); i++) {
            h = mix(h + s.charAt(i));
        }
        return h;
    }
}
