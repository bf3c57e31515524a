package org.leakscope.symbols;

import java.util.Arrays;

/**
 * Sorted (address, size, file offset) triples in primitive arrays: the whole in-memory cost of a symbol
 * file's FUNC or PUBLIC records, 24 bytes each (and of the DWARF reader's unit and function ranges, where the
 * third value is a unit or DIE index).
 */
public final class AddressIndex {
    private long[] addresses = new long[1024];
    private long[] sizes = new long[1024];
    private long[] offsets = new long[1024];
    private int count;

    public void add(long address, long size, long offset) {
        if (count == addresses.length) {
            int n = count * 2;
            addresses = Arrays.copyOf(addresses, n);
            sizes = Arrays.copyOf(sizes, n);
            offsets = Arrays.copyOf(offsets, n);
        }
        addresses[count] = address;
        sizes[count] = size;
        offsets[count] = offset;
        count++;
    }

    /** Sorts by unsigned address; symbol files are usually sorted already, so check first. */
    public void sort() {
        boolean sorted = true;
        for (int i = 1; i < count && sorted; i++) {
            sorted = Long.compareUnsigned(addresses[i - 1], addresses[i]) <= 0;
        }
        if (sorted) {
            return;
        }
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        sortByAddress(order, addresses);
        long[] a = new long[count];
        long[] s = new long[count];
        long[] o = new long[count];
        for (int i = 0; i < count; i++) {
            a[i] = addresses[order[i]];
            s[i] = sizes[order[i]];
            o[i] = offsets[order[i]];
        }
        addresses = a;
        sizes = s;
        offsets = o;
    }

    /**
     * Sorts indexes by the unsigned value of {@code address} at each, keeping the given order among equal ones
     * (a stable merge sort on primitives: symbol tables and line tables have millions of entries, too many to box
     * and sort through a comparator). It merges the ascending runs the input already has (a line table's
     * sequences, a symbol table's object files), so a sorted input takes one pass and k runs about log2(k) more.
     */
    public static void sortByAddress(int[] order, long[] address) {
        int n = order.length;
        int[] runEnds = new int[8];
        int runs = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || Long.compareUnsigned(address[order[i - 1]], address[order[i]]) > 0) {
                if (runs == runEnds.length) {
                    runEnds = Arrays.copyOf(runEnds, runs * 2);
                }
                runEnds[runs++] = i;
            }
        }
        int[] from = order;
        int[] to = new int[n];
        while (runs > 1) {
            int merged = 0;
            int lo = 0;
            for (int r = 0; r < runs; r += 2) {
                int mid = runEnds[r];
                int hi = r + 1 < runs ? runEnds[r + 1] : mid;
                int x = lo;
                int y = mid;
                for (int k = lo; k < hi; k++) {
                    to[k] = y >= hi || x < mid && Long.compareUnsigned(address[from[x]], address[from[y]]) <= 0
                            ? from[x++] : from[y++];
                }
                runEnds[merged++] = hi;
                lo = hi;
            }
            runs = merged;
            int[] t = from;
            from = to;
            to = t;
        }
        if (from != order) {
            System.arraycopy(from, 0, order, 0, n);
        }
    }

    /** Index of the last entry whose address is <= the given one, or -1. */
    public int floor(long address) {
        return floor(addresses, count, address);
    }

    /** Index of the last of the first {@code count} sorted values that is <= {@code address} (unsigned), or -1. */
    static int floor(long[] sorted, int count, long address) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    public long address(int i) {
        return addresses[i];
    }

    public long size(int i) {
        return sizes[i];
    }

    public long offset(int i) {
        return offsets[i];
    }

    public int count() {
        return count;
    }
}
