package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.leakscope.model.UsageSeries;

class UsageTrendTest {
    private static final double MIB = 1 << 20;

    /** A sample every 5 minutes for {@code n} samples. */
    private static UsageSeries series(int n, IntToDoubleFunction value) {
        UsageSeries s = new UsageSeries();
        for (int i = 0; i < n; i++) {
            s.add(i * 300.0, value.applyAsDouble(i));
        }
        return s;
    }

    @Test
    void steadyGrowthUnderNoiseIsSustainedWithTheRightRate() {
        Random r = new Random(1);
        // 71 hours, 2.1 MiB/h, +-0.5 MiB noise
        UsageSeries s = series(71 * 12 + 1, i -> 50 * MIB + 2.1 * MIB * i / 12 + (r.nextDouble() - 0.5) * MIB);
        UsageTrend t = UsageTrend.of("memory used", s, 64 * 1024);
        assertTrue(t.sustained());
        assertEquals(2.1 * MIB, t.perHour(), 0.02 * MIB);
        assertEquals(71.0, t.spanHours(), 1e-9);
        assertEquals(7, t.risingSteps());
    }

    @Test
    void flatNoiseIsNeverSustained() {
        for (int seed = 0; seed < 200; seed++) {
            Random r = new Random(seed);
            UsageSeries s = series(144, i -> 2e6 + r.nextInt(40001) - 20000);
            assertFalse(UsageTrend.of("memory used", s, 64 * 1024).sustained(), "seed " + seed);
        }
    }

    @Test
    void oneBurstThenFlatIsNotSustained() {
        UsageSeries s = series(200, i -> i < 20 ? 1e6 : 9e6);
        UsageTrend t = UsageTrend.of("memory used", s, 64 * 1024);
        assertTrue(t.perHour() > 0, "the fitted slope is positive");
        assertFalse(t.sustained(), "but it rose in one step only");
    }

    @Test
    void growthBelowTheMinimumIsNotReported() {
        UsageSeries s = series(100, i -> 1000 + i); // 100 bytes over 8 hours
        assertFalse(UsageTrend.of("memory used", s, 64 * 1024).sustained());
        assertTrue(UsageTrend.of("memory used", s, 50).sustained());
    }

    @Test
    void tooFewSamplesGiveNoTrend() {
        assertNull(UsageTrend.of("threads used", series(UsageTrend.MIN_SAMPLES - 1, i -> i), 1));
        UsageTrend flat = UsageTrend.of("threads used", series(40, i -> 3), 1);
        assertFalse(flat.sustained());
        assertEquals(0.0, flat.perHour());
    }

    @Test
    void downsampledSeriesKeepsExactStatistics() {
        UsageSeries s = series(100_000, i -> 10 + 2.0 * i);
        assertEquals(UsageSeries.MAX_POINTS / 2 <= s.pointValues().length, true);
        assertTrue(s.pointValues().length <= UsageSeries.MAX_POINTS);
        assertEquals(2.0 / 300, s.slope(), 1e-12);
        assertEquals(10 + 2.0 * 99_999, s.lastValue());
        assertEquals(10 + 2.0 * 99_999, s.peakValue());
        UsageTrend t = UsageTrend.of("x", s, 1);
        assertTrue(t.sustained());
        assertEquals(7, t.risingSteps());
        s.freeze(); // a finished run drops its curve and keeps what the trend needs
        assertEquals(0, s.pointValues().length);
        assertEquals(t, UsageTrend.of("x", s, 1));
    }
}
