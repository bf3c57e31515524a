package org.leakscope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The values a HashMap keeps for the same keys, through every growth, and 0 for a key never given. */
class LongLongMapTest {
    @Test
    void keepsTheFirstValueOfEveryKeyThroughGrowth() {
        Random r = new Random(9);
        LongLongMap map = new LongLongMap(4);
        Map<Long, Long> want = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // module offsets a few bytes apart, keys near the extremes and repeats
            long key = switch (i % 4) {
                case 0 -> 0x1000 + i * 5L;
                case 1 -> Long.MAX_VALUE - r.nextInt(1000);
                case 2 -> Long.MIN_VALUE + 1 + r.nextInt(1000);
                default -> r.nextInt(50_000);
            };
            long value = r.nextLong() | 1;
            map.putIfAbsent(key, value);
            want.putIfAbsent(key, value);
        }
        assertEquals(want.size(), map.size());
        for (Map.Entry<Long, Long> e : want.entrySet()) {
            assertEquals(e.getValue(), map.get(e.getKey()), "key " + e.getKey());
        }
        for (int i = 0; i < 10_000; i++) {
            long absent = 0x7000_0000_0000L + i;
            assertEquals(want.containsKey(absent) ? want.get(absent) : 0L, map.get(absent));
        }
    }

    @Test
    void aZeroValueOrTheEmptyKeyIsRefused() {
        LongLongMap map = new LongLongMap(16);
        assertThrows(IllegalArgumentException.class, () -> map.putIfAbsent(7, 0));
        assertThrows(IllegalArgumentException.class, () -> map.putIfAbsent(Long.MIN_VALUE, 7));
        assertEquals(0, map.size());
    }
}
