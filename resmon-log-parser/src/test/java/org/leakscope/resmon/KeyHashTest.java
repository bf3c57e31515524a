package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.leakscope.model.ResourceKind;

/**
 * Call sites and runs are keyed by values the log chooses. Under the records' default hash a log can give
 * every key one hash code (Long.hashCode folds the halves of an address; String.hashCode has well-known equal
 * pairs), and a HashMap bin of equal hashes whose keys are not Comparable is searched one by one: quadratic.
 */
class KeyHashTest {
    @Test
    void returnAddressesWithOneLongHashGetDistinctHashCodes() {
        int n = 200_000;
        Set<Integer> hashes = new HashSet<>();
        for (long x = 1; x <= n; x++) {
            long address = (x << 32) | x; // Long.hashCode: x ^ x = 0
            assertEquals(0, Long.hashCode(address));
            hashes.add(new ReportBuilder.SiteKey(ResourceKind.HEAP_BLOCK, address, null).hashCode());
        }
        assertTrue(hashes.size() > n * 0.999, "distinct hash codes: " + hashes.size() + " of " + n);
    }

    @Test
    void processNamesWithOneStringHashGetDistinctHashCodes() {
        int n = 1 << 17;
        Set<Integer> hashes = new HashSet<>();
        for (int k = 0; k < n; k++) {
            StringBuilder name = new StringBuilder();
            for (int bit = 0; bit < 17; bit++) {
                name.append((k >>> bit & 1) == 0 ? "Aa" : "BB"); // "Aa" and "BB" share String.hashCode
            }
            assertEquals("AaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAa".hashCode(), name.toString().hashCode());
            hashes.add(new ResmonLogReader.RunKey(4100, name.toString()).hashCode());
        }
        assertTrue(hashes.size() > n * 0.999, "distinct hash codes: " + hashes.size() + " of " + n);
    }
}
