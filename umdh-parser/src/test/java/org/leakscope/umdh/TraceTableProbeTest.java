package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * TraceTable is keyed by trace ids a log chooses: its probe runs must stay short for any ids, or reading turns
 * quadratic (the address map, LongIntMap, is tested in model). Counted, not timed.
 */
class TraceTableProbeTest {
    /**
     * Trace ids chosen to share one home slot under murmur3's finaliser without a seed (what TraceTable hashed
     * with: an invertible function, so anyone can compute ids for any slot). Each batch of 4096 must be found in
     * about 1.5 probes per id; colliding ids fail at the first batch instead of running for hours.
     */
    @Test
    void traceIdsChosenToCollideDoNot() {
        int n = 1 << 19;
        TraceTable table = new TraceTable(16);
        for (int k = 0; k < n; k++) {
            long key = unmix((long) (k + 1) << 32);
            int slot = table.find(key);
            assertTrue(slot < 0);
            table.insert(~slot, key, k);
            if ((k & 4095) == 4095) {
                long probes = 0;
                for (int j = k - 4095; j <= k; j++) {
                    probes += table.probes(unmix((long) (j + 1) << 32));
                }
                assertTrue(probes <= 4 * 4096, "mean probe length " + probes / 4096.0 + " after " + (k + 1) + " ids");
            }
        }
        assertEquals(n, table.size());
    }

    /** fmix64's two multipliers, last first, as their inverses modulo 2^64. */
    private static final long[] UNDO = {inverse(0xc4ceb9fe1a85ec53L), inverse(0xff51afd7ed558ccdL)};

    private static long inverse(long odd) {
        return BigInteger.valueOf(odd).modInverse(BigInteger.ONE.shiftLeft(64)).longValue();
    }

    /** The inverse of murmur3's fmix64 (what TraceTable hashed with, unseeded): its steps undone in reverse. */
    private static long unmix(long h) {
        for (long m : UNDO) {
            h ^= h >>> 33; // a shift of 33 or more undoes itself
            h *= m;
        }
        return h ^ (h >>> 33);
    }
}
