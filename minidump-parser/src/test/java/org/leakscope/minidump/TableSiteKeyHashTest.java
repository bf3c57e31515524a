package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.leakscope.model.ResourceKind;

/**
 * A resmon table's sites are keyed by the stacks the dump holds. Under List.hashCode a dump can give every
 * site one hash code, and the reader's HashMap then compares each new site with every other: quadratic.
 */
class TableSiteKeyHashTest {
    @Test
    void stacksWithOneListHashGetDistinctHashCodes() {
        int n = 100_000;
        List<Long> first = List.of(0L, 31L * n);
        Set<Integer> hashes = new HashSet<>();
        for (long a = 0; a < n; a++) {
            List<Long> frames = List.of(a, 31L * (n - a)); // 31 * hash(a) + hash(b) is the same for every a
            assertEquals(first.hashCode(), frames.hashCode());
            hashes.add(new ResmonTableReader.SiteKey(ResourceKind.HEAP_BLOCK, frames).hashCode());
        }
        assertTrue(hashes.size() > n * 0.999, "distinct hash codes: " + hashes.size() + " of " + n);
    }
}
