package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link AddressIndex#sortByAddress}, the primitive sort symbol and line tables use instead of boxing millions of
 * indexes: the order a stable boxed sort by unsigned address gives (equal addresses keep their order, addresses
 * with the top bit set sort last), on sorted, reversed, random and duplicate-heavy inputs.
 */
class AddressIndexSortTest {
    private static int[] expected(long[] address) {
        return IntStream.range(0, address.length).boxed()
                .sorted(Comparator.comparing(i -> address[i], Long::compareUnsigned))
                .mapToInt(Integer::intValue).toArray();
    }

    private static void check(long[] address) {
        int[] order = IntStream.range(0, address.length).toArray();
        AddressIndex.sortByAddress(order, address);
        assertArrayEquals(expected(address), order, Arrays.toString(address));
    }

    @Test
    void sortsAsAStableUnsignedSortDoes() {
        SplittableRandom r = new SplittableRandom(16);
        for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000, 4097}) {
            long[] random = r.longs(n).toArray();
            check(random);
            long[] duplicates = r.longs(n, 0, 5).toArray(); // stability decides the order among equal ones
            check(duplicates);
            long[] sorted = unsignedSorted(random);
            check(sorted);
            long[] reversed = new long[n];
            for (int i = 0; i < n; i++) {
                reversed[i] = sorted[n - 1 - i];
            }
            check(reversed);
        }
    }

    @Test
    void topBitAddressesSortLast() {
        long[] address = {-16L, 0x1000, Long.MIN_VALUE, 0, 0x1000};
        int[] order = {0, 1, 2, 3, 4};
        AddressIndex.sortByAddress(order, address);
        assertArrayEquals(new int[] {3, 1, 4, 2, 0}, order);
    }

    @Test
    void anIndexSortsItsEntriesWithTheirSizesAndOffsets() {
        AddressIndex index = new AddressIndex();
        index.add(0x3000, 3, 30);
        index.add(0x1000, 1, 10);
        index.add(0x2000, 2, 20);
        index.sort();
        assertEquals(0x1000, index.address(0));
        assertEquals(2, index.size(1));
        assertEquals(30, index.offset(2));
    }

    private static long[] unsignedSorted(long[] v) {
        return Arrays.stream(v).boxed().sorted(Long::compareUnsigned).mapToLong(Long::longValue).toArray();
    }
}
