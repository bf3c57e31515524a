package org.leakscope.model;

/**
 * Address → module for disjoint modules by 64 KiB page: each page a module touches maps to the module's index, or
 * {@link #SHARED} when the page also holds another module or a gap (the caller searches then). A page no module
 * touches has no module.
 * <p>
 * Modules within {@link #MAX_DENSE_SPAN} pages of each other (every 32-bit process; a 64-bit Windows process whose
 * executable and DLLs sit near 0x7FF...) are indexed by an array over that span: a lookup is one load. Others by
 * an open-addressed table of the pages they touch: a hash and a probe, which made reading a 1 GB UMDH log of 3
 * million stacks (45 million frame lines, each looked up) 1-2 % slower.
 */
final class PageIndex {
    static final int SHARED = -2;
    private static final int PAGE_BITS = 16;
    /**
     * Beyond this many pages (4 GiB of modules, a table of 3 MB) the search is used instead: no index. Building
     * the index is paid by each map; at 2^18 pages (12 MB) a fuzzed table image whose modules claimed 16 GiB spent
     * ~15 ms per map, three maps per report, where the sample's take well under 1 ms.
     */
    private static final long MAX_PAGES = 1 << 16;
    /** The widest span, gaps included, indexed by an array: 64 GiB of addresses in 2 MB. */
    static final long MAX_DENSE_SPAN = 1 << 20;
    private static final long PAGE_MASK = (1L << PAGE_BITS) - 1;

    // by array: module index + 1 for each page from firstPage on, 0 for none, -1 shared (so value - 1 answers)
    private final short[] dense;
    private final long firstPage;
    // by table
    private final long[] keys;  // page + 1, 0 = empty
    private final int[] values;
    private final int shift;

    private PageIndex(short[] dense, long firstPage) {
        this.dense = dense;
        this.firstPage = firstPage;
        this.keys = null;
        this.values = null;
        this.shift = 0;
    }

    private PageIndex(int capacity) {
        dense = null;
        firstPage = 0;
        keys = new long[capacity];
        values = new int[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** The index of sorted, disjoint modules, or null when they span more than {@link #MAX_PAGES} pages. */
    static PageIndex of(long[] bases, long[] sizes) {
        return of(bases, sizes, MAX_DENSE_SPAN);
    }

    /** {@link #of(long[], long[])}, by array only when the modules span at most {@code maxDenseSpan} pages. */
    static PageIndex of(long[] bases, long[] sizes, long maxDenseSpan) {
        long total = 0;
        long first = -1;
        long last = 0;
        for (int i = 0; i < bases.length; i++) {
            if (sizes[i] != 0) {
                total += lastPage(bases[i], sizes[i]) - (bases[i] >>> PAGE_BITS) + 1;
                first = first < 0 ? bases[i] >>> PAGE_BITS : first; // sorted by base: the lowest
                last = Math.max(last, lastPage(bases[i], sizes[i]));
            }
            if (total > MAX_PAGES) {
                return null;
            }
        }
        boolean byArray = first >= 0 && last - first < maxDenseSpan && bases.length < Short.MAX_VALUE;
        PageIndex index = byArray ? new PageIndex(new short[(int) (last - first + 1)], first)
                : new PageIndex(Integer.highestOneBit((int) Math.max(16, total * 2)) << 1);
        for (int i = 0; i < bases.length; i++) {
            if (sizes[i] == 0) {
                continue;
            }
            long firstOfModule = bases[i] >>> PAGE_BITS;
            long lastOfModule = lastPage(bases[i], sizes[i]);
            for (long p = firstOfModule; p <= lastOfModule; p++) {
                boolean whole = (p > firstOfModule || (bases[i] & PAGE_MASK) == 0)
                        && (p < lastOfModule || ((end(bases[i], sizes[i]) + 1) & PAGE_MASK) == 0);
                index.put(p, whole ? i : SHARED);
            }
        }
        return index;
    }

    /** True when indexed by an array over the modules' span: for tests. */
    boolean byArray() {
        return dense != null;
    }

    /** The module holding the address, -1 for none, or {@link #SHARED}. */
    int moduleAt(long address) {
        short[] d = dense;
        if (d != null) {
            long p = (address >>> PAGE_BITS) - firstPage;
            return p >= 0 && p < d.length ? d[(int) p] - 1 : -1;
        }
        long key = (address >>> PAGE_BITS) + 1;
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & (keys.length - 1);
        }
    }

    private void put(long page, int module) {
        if (dense != null) {
            int p = (int) (page - firstPage);
            dense[p] = dense[p] != 0 ? -1 : (short) (module + 1); // a page two modules touch: shared
            return;
        }
        long key = page + 1;
        int i = slot(key);
        while (keys[i] != 0 && keys[i] != key) {
            i = (i + 1) & (keys.length - 1);
        }
        values[i] = keys[i] == key ? SHARED : module; // a page two modules touch
        keys[i] = key;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift); // Fibonacci hashing: page numbers are consecutive
    }

    private static long lastPage(long base, long size) {
        return end(base, size) >>> PAGE_BITS;
    }

    /** The module's last address; a module said to run past 2^64 (the top one of a damaged list) ends there. */
    private static long end(long base, long size) {
        long end = base + size - 1;
        return Long.compareUnsigned(end, base) < 0 ? -1L : end;
    }
}
