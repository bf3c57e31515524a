package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Stack keys are token numbers an input decides (the order its frames first appear). Under Arrays.hashCode a
 * file can give 200,000 stacks one hash code, and SnapshotSeries's HashMap then compares each new stack with
 * every other: quadratic. The seeded hash keeps them apart.
 */
class StackKeyHashTest {
    @Test
    void stacksWithOnePolynomialHashGetDistinctHashCodes() {
        int n = 200_000;
        int[] first = {0, 31 * n};
        Set<Integer> hashes = new HashSet<>();
        for (int a = 0; a < n; a++) {
            int[] tokens = {a, 31 * (n - a)}; // 31 * a + b is the same for every a
            assertEquals(Arrays.hashCode(first), Arrays.hashCode(tokens));
            hashes.add(new BacktraceKeys.StackKey(tokens).hashCode());
        }
        assertTrue(hashes.size() > n * 0.999, "distinct hash codes: " + hashes.size() + " of " + n);
    }
}
