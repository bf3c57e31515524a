package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Byte counts print with a comma every three digits, like %,d, and huge values as unsigned. */
class SizesTest {
    @Test
    void exactAgreesWithTheFormatterAtEveryLength() {
        Random r = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            long v = r.nextLong() >>> (1 + r.nextInt(63));
            assertEquals(String.format(java.util.Locale.ROOT, "%,d", v), Sizes.exact(v));
        }
        assertEquals("0", Sizes.exact(0));
        assertEquals("999", Sizes.exact(999));
        assertEquals("1,000", Sizes.exact(1000));
        assertEquals("18,446,744,073,709,551,615", Sizes.exact(-1));
    }
}
