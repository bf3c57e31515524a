package org.leakscope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A series whose curve arrays come from {@link UsageSeries.Spares} (left over, full of an earlier run's points)
 * must describe its own samples exactly as a series with fresh arrays does.
 */
class UsageSeriesTest {
    private static void fill(UsageSeries s, int n, double slope) {
        for (int i = 0; i < n; i++) {
            s.add(i * 5.0, 1000 + slope * i + (i % 7));
        }
    }

    @Test
    void seriesOnSpareArraysMatchFreshOnes() {
        UsageSeries.Spares spares = new UsageSeries.Spares();
        for (int run = 0; run < 4; run++) { // each run leaves its full-size arrays for the next
            UsageSeries pooled = new UsageSeries(spares);
            UsageSeries fresh = new UsageSeries();
            int n = 300 + run * 1500; // from short curves to ones downsampled twice
            fill(pooled, n, run + 1);
            fill(fresh, n, run + 1);
            assertArrayEquals(fresh.pointTimes(), pooled.pointTimes());
            assertArrayEquals(fresh.pointValues(), pooled.pointValues());
            pooled.freeze();
            fresh.freeze();
            assertArrayEquals(fresh.segmentMeans(), pooled.segmentMeans());
            assertEquals(fresh.slope(), pooled.slope());
            assertEquals(fresh.peakValue(), pooled.peakValue());
            assertEquals(0, pooled.pointTimes().length);
        }
    }
}
