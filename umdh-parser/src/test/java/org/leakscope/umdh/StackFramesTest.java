package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Stacks stay whole when a chunk fills in their middle: the one being collected moves to the next chunk. */
class StackFramesTest {
    @Test
    void stacksAcrossChunkBoundariesReadBackWhole() {
        StackFrames s = new StackFrames();
        int stacks = 400_000; // 7 frames each: 2.8 million frames, past two 1M-int chunks
        int[] positions = new int[stacks];
        int frame = 0;
        for (int k = 0; k < stacks; k++) {
            s.start();
            for (int i = 0; i < 7; i++) {
                s.add(frame++);
            }
            assertEquals(7, s.length());
            positions[k] = s.position();
        }
        frame = 0;
        int moved = 0;
        for (int k = 0; k < stacks; k++) {
            int[] chunk = s.chunk(positions[k]);
            int at = StackFrames.offset(positions[k]);
            for (int i = 0; i < 7; i++) {
                assertEquals(frame++, chunk[at + i], "stack " + k + " frame " + i);
            }
            moved += k > 0 && positions[k] >>> 20 != positions[k - 1] >>> 20 ? 1 : 0;
        }
        assertTrue(moved >= 2, "stacks in later chunks: " + moved);
    }
}
