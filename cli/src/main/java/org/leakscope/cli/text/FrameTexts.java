package org.leakscope.cli.text;

import java.util.Arrays;
import java.util.List;
import org.leakscope.model.Frame;

/**
 * Each Frame object's text, made once and kept as bytes in one arena: readers share one Frame per address, and a
 * compare of two 1 GB logs prints 3.9 million frame lines over about 200,000 frames. A lookup per frame line
 * missed the caches three or four times over (the Frame, the table's slot, the text), one miss after another:
 * {@link #find} looks up a whole stack in passes, each made of independent loads the CPU overlaps.
 * Keyed by identity, not by value: two frames with the same address may be told apart by their text.
 */
final class FrameTexts {
    static final int LENGTH_BITS = 24;
    static final long LENGTH_MASK = (1L << LENGTH_BITS) - 1;
    private final int maxFrames;
    private final int maxArena;

    private Frame[] keys = new Frame[1 << 12];
    private long[] places = new long[keys.length]; // arena offset << LENGTH_BITS | length
    private int size;
    private byte[] arena = new byte[1 << 14];
    private int used;

    // per frame of the stack being looked up
    private Frame[] frames = new Frame[64];
    private int[] hashes = new int[64];
    private long[] found = new long[64];
    /** Keeps the JIT from dropping the touch loop. */
    long sink;

    /** Keeps up to a million frames' texts in up to 64 MiB; past that, frames are made each time they are shown. */
    FrameTexts() {
        this(1 << 20, 64 << 20);
    }

    FrameTexts(int maxFrames, int maxArena) {
        this.maxFrames = maxFrames;
        this.maxArena = maxArena;
    }

    /** Each frame's place in {@link #arena()}, or -1 where its text is not kept yet; valid until the next call. */
    long[] find(List<Frame> stack) {
        int count = stack.size();
        if (count > frames.length) {
            frames = new Frame[count];
            hashes = new int[count];
            found = new long[count];
        }
        Frame[] fs = frames;
        int[] hs = hashes;
        for (int i = 0; i < count; i++) {
            fs[i] = stack.get(i);
            hs[i] = System.identityHashCode(fs[i]); // reads each Frame's header
        }
        int mask = keys.length - 1;
        Frame[] ks = keys;
        long touched = 0;
        for (int i = 0; i < count; i++) {
            int s = slot(hs[i], mask);
            touched += places[s] + (ks[s] == fs[i] ? 1 : 0); // brings in each home slot, key and place
        }
        sink = touched;
        for (int i = 0; i < count; i++) {
            long place = -1;
            for (int s = slot(hs[i], mask); ks[s] != null; s = (s + 1) & mask) {
                if (ks[s] == fs[i]) {
                    place = places[s];
                    break;
                }
            }
            found[i] = place;
        }
        Arrays.fill(fs, 0, count, null);
        return found;
    }

    /** The place of {@code f}'s text, or -1 (one lookup: for a frame {@link #find} did not find). */
    long get(Frame f) {
        int mask = keys.length - 1;
        for (int s = slot(System.identityHashCode(f), mask); keys[s] != null; s = (s + 1) & mask) {
            if (keys[s] == f) {
                return places[s];
            }
        }
        return -1;
    }

    /** Keeps the text of {@code f}; its place, or -1 when the cache is full (the text is then not kept). */
    long add(Frame f, byte[] text) {
        if (size >= maxFrames || used + text.length > maxArena || text.length > LENGTH_MASK) {
            return -1;
        }
        if (used + text.length > arena.length) {
            arena = Arrays.copyOf(arena, Math.min(maxArena, Math.max(arena.length * 2, used + text.length)));
        }
        System.arraycopy(text, 0, arena, used, text.length);
        long place = (long) used << LENGTH_BITS | text.length;
        used += text.length;
        if (++size * 2 > keys.length) {
            grow();
        }
        insert(f, place);
        return place;
    }

    byte[] arena() {
        return arena;
    }

    private void insert(Frame f, long place) {
        int mask = keys.length - 1;
        int s = slot(System.identityHashCode(f), mask);
        while (keys[s] != null) {
            s = (s + 1) & mask;
        }
        keys[s] = f;
        places[s] = place;
    }

    private void grow() {
        Frame[] oldKeys = keys;
        long[] oldPlaces = places;
        keys = new Frame[oldKeys.length * 2];
        places = new long[keys.length];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                insert(oldKeys[i], oldPlaces[i]);
            }
        }
    }

    private static int slot(int hash, int mask) {
        return (hash ^ hash >>> 16) & mask; // identity hashes are random already
    }
}
