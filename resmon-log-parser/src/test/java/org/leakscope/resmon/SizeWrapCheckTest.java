package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Generated cases of block sizes printed modulo 4 GiB: settled by the allocation-size table, or not. */
class SizeWrapCheckTest {
    private static final long GIB = 1L << 30;
    private static final long WRAP = 4 * GIB;

    /** A table row of resmon's x64 histogram: bucket i holds sizes above 16 << (i-1) up to 16 << i. */
    private static HistogramBucket row(int i, long count) {
        return new HistogramBucket(i == 0 ? 0 : 16L << (i - 1), i == 31 ? -1L : 16L << i, count);
    }

    /** Blocks as resmon lists them: each true size printed modulo 4 GiB, the site named by a letter. */
    private static SizeWrapCheck<String> blocks(Object... siteAndTrueSize) {
        SizeWrapCheck<String> c = new SizeWrapCheck<>();
        for (int i = 0; i < siteAndTrueSize.length; i += 2) {
            c.block((String) siteAndTrueSize[i], ((Long) siteAndTrueSize[i + 1]) & 0xFFFFFFFFL);
        }
        return c;
    }

    @Test
    void bucketsAreResmonsOwn() {
        assertEquals(0, SizeWrapCheck.sizeBucket(0));
        assertEquals(0, SizeWrapCheck.sizeBucket(16));
        assertEquals(1, SizeWrapCheck.sizeBucket(17));
        assertEquals(26, SizeWrapCheck.sizeBucket(GIB));
        assertEquals(28, SizeWrapCheck.sizeBucket(WRAP), "exactly 4 GiB is the top of the 2-4 GiB bucket");
        assertEquals(29, SizeWrapCheck.sizeBucket(5 * GIB));
        assertEquals(31, SizeWrapCheck.sizeBucket(17 * GIB));
        assertEquals(31, SizeWrapCheck.sizeBucket(-1L));
        assertEquals(29, SizeWrapCheck.bucketOfUpper(0x200000000L));
        assertEquals(31, SizeWrapCheck.bucketOfUpper(-1L));
        assertEquals(-1, SizeWrapCheck.bucketOfUpper(0x30));
    }

    @Test
    void agreeingSizesAndOtherMismatchesAreNotThisFinding() {
        assertNull(blocks("a", 100L, "b", 28L).check(128L, true, List.of(row(3, 1), row(2, 1)), true));
        assertNull(blocks("a", 100L).check(228L, true, List.of(row(3, 2)), true), "128 bytes missing: not 4 GiB");
        assertNull(blocks("a", 5 * GIB).check(5 * GIB, false, List.of(row(29, 1)), true), "the list was cut off");
        assertNull(blocks("a", 5 * GIB).check(null, true, List.of(row(29, 1)), true));
    }

    @Test
    void oneBlockInABucketTheTableNeverCountedIsCorrected() {
        SizeWrapCheck<String> c = blocks("big", 5 * GIB, "small", 3 * 1024 * 1024L, "small", 145_213L);
        var o = c.check(5 * GIB + 3 * 1024 * 1024 + 145_213, true, List.of(row(14, 1), row(18, 1), row(29, 1)), true);
        assertTrue(o.wrap().corrected());
        assertEquals(1, o.wrap().wraps());
        assertEquals(1, o.wrap().correctedBlocks());
        assertEquals(Map.of("big", WRAP), o.added());
        assertEquals(5 * GIB, c.corrected(GIB));
        assertEquals(145_213, c.corrected(145_213));
    }

    @Test
    void twoWrapsAndAnExactMultipleOf4GibAreCorrected() {
        // 9 GiB printed as 1 GiB (two wraps, into the 8-16 GiB bucket); exactly 4 GiB printed as 0
        SizeWrapCheck<String> c = blocks("nine", 9 * GIB, "four", WRAP, "small", 20L);
        var o = c.check(13 * GIB + 20, true, List.of(row(1, 1), row(28, 1), row(30, 1)), true);
        assertTrue(o.wrap().corrected(), o.wrap().toString());
        assertEquals(3, o.wrap().wraps());
        assertEquals(Map.of("nine", 2 * WRAP, "four", WRAP), o.added());
        assertEquals(9 * GIB, c.corrected(GIB));
        assertEquals(WRAP, c.corrected(0));
        // had the table counted a 0-16 byte allocation, the block printed as 0 might be one of those
        var zeroSeen = blocks("nine", 9 * GIB, "four", WRAP, "small", 20L)
                .check(13 * GIB + 20, true, List.of(row(0, 1), row(1, 1), row(28, 1), row(30, 1)), true);
        assertFalse(zeroSeen.wrap().corrected());
    }

    @Test
    void aTableThatSawTheSmallSizeTooLeavesItAmbiguous() {
        SizeWrapCheck<String> c = blocks("a", 5 * GIB, "b", GIB);
        var o = c.check(6 * GIB, true, List.of(row(26, 1), row(29, 1)), true);
        assertFalse(o.wrap().corrected());
        assertEquals(2 * GIB, o.wrap().listedBytes());
        assertTrue(o.wrap().reason().contains("cannot tell which"), o.wrap().reason());
        assertEquals(Map.of(), o.added());
        assertEquals(GIB, c.corrected(GIB), "nothing changed");
    }

    @Test
    void aTableThatContradictsTheSizesCorrectsNothing() {
        // two blocks in a bucket the table never saw, but only 4 GiB missing: each would need at least 4 GiB
        var two = blocks("a", 5 * GIB, "b", GIB + 5).check(6 * GIB + 5, true, List.of(row(29, 2)), true);
        assertTrue(two.wrap().reason().contains("contradicts"), two.wrap().reason());
        assertFalse(two.wrap().corrected());
        // a block the table never saw, and no bucket of 4 GiB or more counted anything
        var none = blocks("a", 5 * GIB).check(5 * GIB, true, List.of(row(3, 1)), true);
        assertTrue(none.wrap().reason().contains("fit none"), none.wrap().reason());
        // the only correction would put two live blocks where the table counted one allocation
        SizeWrapCheck<String> c = blocks("a", 5 * GIB, "b", 5 * GIB + 100, "c", 100L);
        var crowdedBucket = c.check(10 * GIB + 200, true, List.of(row(3, 1), row(29, 1)), true);
        assertFalse(crowdedBucket.wrap().corrected(), crowdedBucket.wrap().toString());
        assertTrue(crowdedBucket.wrap().reason().contains("fewer allocations"), crowdedBucket.wrap().reason());
    }

    @Test
    void withoutACompleteTableItIsOnlyReported() {
        var o = blocks("a", 5 * GIB).check(5 * GIB, true, List.of(), false);
        assertFalse(o.wrap().corrected());
        assertTrue(o.wrap().reason().contains("no complete allocation-size table"), o.wrap().reason());
        var cut = blocks("a", 5 * GIB).check(5 * GIB, true, List.of(row(29, 1)), false);
        assertFalse(cut.wrap().corrected(), "rows may be missing from a table that was cut off");
    }

    @Test
    void blocksSpreadOverTooManyCallSitesAreOnlyReported() {
        // 1,002 blocks of just over 5 GiB, each from its own call site: 1,001 of them printed in one bucket
        List<Object> args = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < 1002; i++) {
            args.add("site" + i);
            args.add(5 * GIB + i);
            total += 5 * GIB + i;
        }
        SizeWrapCheck<String> c = blocks(args.toArray());
        var o = c.check(total, true, List.of(row(29, 1002)), true);
        assertEquals(1002, o.wrap().wraps());
        assertFalse(o.wrap().corrected());
        assertTrue(o.wrap().reason().contains("too many call sites"), o.wrap().reason());
        assertEquals(GIB + 7, c.corrected(GIB + 7));
    }
}
