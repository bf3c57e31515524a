package org.leakscope.resmon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds block sizes resmon printed modulo 4 GiB ({@link SizeWrap}) and, when the allocation-size table settles
 * it, which blocks they were.
 *
 * <p>How the table settles it: resmon counts every allocation in one of 32 buckets by its real size (bucket
 * <i>i</i> holds sizes above 16&lt;&lt;(i-1) up to 16&lt;&lt;i; the last one everything above 16 GiB). A live
 * block whose printed size falls in a bucket that never counted an allocation cannot be that small: it lost
 * 4 GiB multiples, at least as many as it takes to reach a bucket that did count some. When those smallest
 * additions over all such blocks add up exactly to what the total is missing, no block can have lost more and
 * no other block can have lost any, so the correction is the only one possible. Otherwise (they add up to
 * less: any of several blocks may be the big one; to more, or no bucket fits: the table contradicts the
 * sizes) the mismatch is reported and nothing is changed.
 *
 * <p>Blocks are held as counts per (printed-size bucket, call site), not one by one: a report may list
 * millions. A bucket that spreads over more than {@value #MAX_SITES} call sites keeps only its count; if it
 * then turns out to need correcting, the mismatch is reported uncorrected.
 *
 * @param <S> the caller's call-site group
 */
final class SizeWrapCheck<S> {
    private static final int BUCKETS = 32;
    /** Blocks printed as 0 bytes: a size of exactly 4 GiB (or 8, ...) lands in other buckets than 1..4 GiB-1. */
    private static final int ZERO = BUCKETS;
    private static final int MAX_SITES = 1000;
    /** Beyond 5 wraps every size is in the last bucket: more cannot change a block's bucket. */
    private static final int MAX_STEPS = 5;

    private final long[] blocks = new long[BUCKETS + 1];
    private final Map<S, Long>[] sites;
    private final boolean[] crowded = new boolean[BUCKETS + 1];
    private long listed;
    private boolean overflow;
    private final int[] add = new int[BUCKETS + 1];

    @SuppressWarnings("unchecked")
    SizeWrapCheck() {
        sites = new Map[BUCKETS + 1];
    }

    /** One listed memory block of {@code site}, with its size as printed. */
    void block(S site, long size) {
        try {
            listed = Math.addExact(listed, size);
        } catch (ArithmeticException e) {
            overflow = true;
        }
        int c = category(size);
        blocks[c]++;
        if (crowded[c]) {
            return;
        }
        Map<S, Long> m = sites[c] == null ? sites[c] = new HashMap<>() : sites[c];
        if (m.size() == MAX_SITES && !m.containsKey(site)) {
            crowded[c] = true;
            sites[c] = null;
            return;
        }
        m.merge(site, 1L, Long::sum);
    }

    /** The outcome of a check: the finding, and per call site the bytes to add (empty when not corrected). */
    record Outcome<S>(SizeWrap wrap, Map<S, Long> added) {
    }

    /**
     * @param total            the section's {@code memory usage N}, or null
     * @param listComplete     the memory list was read to its end (a later section began)
     * @param histogram        the allocation-size table's rows
     * @param histogramComplete the table was read to its closing line
     * @return null when the sizes agree with the total, or disagree by anything but a multiple of 4 GiB
     */
    Outcome<S> check(Long total, boolean listComplete, List<HistogramBucket> histogram, boolean histogramComplete) {
        if (total == null || !listComplete || overflow || total <= listed
                || (total - listed) % SizeWrap.FOUR_GIB != 0) {
            return null;
        }
        long wraps = (total - listed) / SizeWrap.FOUR_GIB;
        if (histogram.isEmpty() || !histogramComplete) {
            return uncorrected(total, wraps, "the report has no complete allocation-size table to tell which blocks"
                    + " are 4 GiB or more");
        }
        long[] seen = new long[BUCKETS];
        for (HistogramBucket b : histogram) {
            int i = bucketOfUpper(b.upper());
            if (i < 0) {
                return uncorrected(total, wraps, "the allocation-size table's ranges are not resmon's x64 ones");
            }
            seen[i] += b.count();
        }
        long needed = 0;
        long forcedBlocks = 0;
        long[] live = new long[BUCKETS];
        for (int c = 0; c <= BUCKETS; c++) {
            if (blocks[c] == 0) {
                continue;
            }
            int printed = c == ZERO ? 0 : c;
            if (seen[printed] > 0) {
                live[printed] += blocks[c];
                continue;
            }
            int steps = smallestFit(c, seen, wraps);
            if (steps == 0) {
                return uncorrected(total, wraps, plural(blocks[c], "block") + " listed at sizes the table never"
                        + " counted fit none of its sizes either");
            }
            add[c] = steps;
            needed += blocks[c] * steps;
            forcedBlocks += blocks[c];
            live[bucket(c == ZERO ? 0 : 1, steps)] += blocks[c];
        }
        if (needed < wraps) {
            return uncorrected(total, wraps, "the allocation-size table counted allocations of 4 GiB or more, but"
                    + " cannot tell which of the listed blocks they are");
        }
        if (needed > wraps) {
            return uncorrected(total, wraps, "the allocation-size table contradicts the listed sizes");
        }
        for (int i = 0; i < BUCKETS; i++) {
            if (live[i] > seen[i]) {
                return uncorrected(total, wraps, "the allocation-size table counted fewer allocations of some size"
                        + " than the corrected list would hold");
            }
        }
        Map<S, Long> added = new HashMap<>();
        for (int c = 0; c <= BUCKETS; c++) {
            if (add[c] == 0) {
                continue;
            }
            if (crowded[c]) {
                return uncorrected(total, wraps, "the blocks to correct are spread over too many call sites");
            }
            long bytes = add[c] * SizeWrap.FOUR_GIB;
            sites[c].forEach((site, n) -> added.merge(site, n * bytes, Long::sum));
        }
        return new Outcome<>(new SizeWrap(listed, total, wraps, true, forcedBlocks, List.of(), null), added);
    }

    /** A listed size corrected by the outcome of {@link #check} (unchanged when nothing was corrected). */
    long corrected(long size) {
        return size + add[category(size)] * SizeWrap.FOUR_GIB;
    }

    private Outcome<S> uncorrected(long total, long wraps, String reason) {
        java.util.Arrays.fill(add, 0);
        return new Outcome<>(new SizeWrap(listed, total, wraps, false, 0, List.of(), reason), Map.of());
    }

    /** The fewest 4 GiB additions that move category {@code c} into a bucket the table counted, or 0. */
    private static int smallestFit(int c, long[] seen, long wraps) {
        for (int steps = 1; steps <= Math.min(wraps, MAX_STEPS); steps++) {
            if (seen[bucket(c == ZERO ? 0 : 1, steps)] > 0) {
                return steps;
            }
        }
        return 0;
    }

    /**
     * The bucket of a size printed as {@code low} (0, or 1 standing for any 1 .. 4 GiB-1: all of them land in
     * the same bucket once 4 GiB is added) after {@code steps} additions of 4 GiB.
     */
    private static int bucket(long low, int steps) {
        return sizeBucket(low + steps * SizeWrap.FOUR_GIB);
    }

    static int category(long printedSize) {
        return printedSize == 0 ? ZERO : sizeBucket(printedSize);
    }

    /** resmon's bucket for a size: the first whose upper bound 16 << i it does not exceed. */
    static int sizeBucket(long size) {
        if (Long.compareUnsigned(size, 16) <= 0) {
            return 0;
        }
        return Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(size - 1) - 4);
    }

    /** The bucket a table row stands for, from its upper bound; -1 if it is not one of resmon's x64 bounds. */
    static int bucketOfUpper(long upper) {
        if (upper == -1L) {
            return BUCKETS - 1;
        }
        if (Long.bitCount(upper) != 1 || upper < 16) {
            return -1;
        }
        int i = Long.numberOfTrailingZeros(upper) - 4;
        return i < BUCKETS - 1 ? i : -1;
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
