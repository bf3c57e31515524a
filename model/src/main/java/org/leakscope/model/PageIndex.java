package org.leakscope.model;

/**
 * Address → module for disjoint modules by 64 KiB page: each page a module touches is a key of an open-addressed
 * table whose value is the module's index, or {@link #SHARED} when the page also holds another module or a gap
 * (the caller searches then). A page no module touches is absent: no module holds its addresses.
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
    private static final long PAGE_MASK = (1L << PAGE_BITS) - 1;

    private final long[] keys;  // page + 1, 0 = empty
    private final int[] values;
    private final int shift;

    private PageIndex(int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** The index of sorted, disjoint modules, or null when they span more than {@link #MAX_PAGES} pages. */
    static PageIndex of(long[] bases, long[] sizes) {
        long total = 0;
        for (int i = 0; i < bases.length; i++) {
            if (sizes[i] != 0) {
                total += lastPage(bases[i], sizes[i]) - (bases[i] >>> PAGE_BITS) + 1;
            }
            if (total > MAX_PAGES) {
                return null;
            }
        }
        PageIndex index = new PageIndex(Integer.highestOneBit((int) Math.max(16, total * 2)) << 1);
        for (int i = 0; i < bases.length; i++) {
            if (sizes[i] == 0) {
                continue;
            }
            long first = bases[i] >>> PAGE_BITS;
            long last = lastPage(bases[i], sizes[i]);
            for (long p = first; p <= last; p++) {
                boolean whole = (p > first || (bases[i] & PAGE_MASK) == 0)
                        && (p < last || ((end(bases[i], sizes[i]) + 1) & PAGE_MASK) == 0);
                index.put(p, whole ? i : SHARED);
            }
        }
        return index;
    }

    /** The module holding the address, -1 for none, or {@link #SHARED}. */
    int moduleAt(long address) {
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
