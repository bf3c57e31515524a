package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TraceTable packs a trace's three sums in one long until one outgrows its bits, then keeps them in a side row:
 * sums must come out exact on either side of that move, through the table's growth, and still stop at 2^63.
 */
class TraceTableSumsTest {
    @Test
    void packedAndWidenedSumsAreExact() {
        Random r = new Random(7);
        int keys = 5000;
        long[][] expected = new long[3][keys];
        TraceTable table = new TraceTable(16);
        for (int k = 0; k < 400_000; k++) {
            int t = (int) Math.min(keys - 1, Math.abs(r.nextGaussian()) * keys / 6); // a few traces hit often
            long key = 0x4000_0000_0000L + t * 977L;
            long bytes;
            long count;
            long overhead;
            switch (r.nextInt(20)) {
                case 0 -> { // a summary line: many allocations at once
                    count = 1 + r.nextInt(100_000);
                    bytes = count * (1 + r.nextInt(64));
                    overhead = count * 8;
                }
                case 1 -> { // one block past what packs
                    count = 1;
                    bytes = (1L << 31) + r.nextInt(1000);
                    overhead = r.nextInt(1 << 17);
                }
                default -> {
                    count = 1;
                    bytes = 1 + r.nextInt(0x4000);
                    overhead = 8 + r.nextInt(24);
                }
            }
            int slot = table.find(key);
            if (slot < 0) {
                slot = table.insert(~slot, key, t);
            }
            assertTrue(table.add(slot, bytes, count, overhead));
            expected[0][t] += bytes;
            expected[1][t] += count;
            expected[2][t] += overhead;
        }
        long[][] out = totals(table, keys);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i], out[i], "sum " + i);
        }
    }

    /** Small records whose sums reach each packed field's limit exactly (bytes 2^31, count and overhead 2^16). */
    @Test
    void sumsReachingEachPackedLimitExactly() {
        long[][] steps = {{0x4000, 0, 0}, {0, 1, 0}, {0, 0, 0x10}};
        for (long[] step : steps) {
            TraceTable table = new TraceTable(16);
            int slot = table.insert(~table.find(9), 9, 0);
            long n = 3 << 17;
            for (long k = 0; k < n; k++) {
                assertTrue(table.add(slot, step[0], step[1], step[2]));
                if (k == (1 << 17) - 2 || k == (1 << 17) - 1 || k == (1 << 17) || k == n - 1) {
                    long[][] out = totals(table, 1);
                    long[] want = {step[0] * (k + 1), step[1] * (k + 1), step[2] * (k + 1)};
                    assertArrayEquals(want, new long[] {out[0][0], out[1][0], out[2][0]}, "after " + (k + 1));
                }
            }
        }
    }

    @Test
    void aSumPast2To63IsRefusedPackedOrWide() {
        TraceTable table = new TraceTable(16);
        int slot = ~table.find(5);
        slot = table.insert(slot, 5, 0);
        assertTrue(table.add(slot, 100, 1, 8));
        long big = BigInteger.ONE.shiftLeft(62).longValue();
        assertTrue(table.add(slot, big, 1, 8));
        assertTrue(table.add(slot, big - 101, 1, 8)); // exactly 2^63 - 1 bytes
        assertFalse(table.add(slot, 1, 1, 8));
        long[][] out = totals(table, 1);
        assertArrayEquals(new long[] {Long.MAX_VALUE, 3, 24}, new long[] {out[0][0], out[1][0], out[2][0]});
    }

    /** bytes, count and overhead by trace, through the per-trace form the reader keeps ({@link TraceSums}). */
    private static long[][] totals(TraceTable table, int traces) {
        long[] packed = new long[traces];
        long[] wide = new long[table.wideRows() * 3 + 3];
        wide[0] = -1; // a row before the table's: copySums must write from the row it is given
        table.copySums(packed, wide, 1);
        TraceSums sums = new TraceSums(packed, wide);
        long[][] out = new long[3][traces];
        for (int t = 0; t < traces; t++) {
            out[0][t] = sums.bytes(t);
            out[1][t] = sums.count(t);
            out[2][t] = sums.overhead(t);
        }
        return out;
    }
}
