package org.leakscope.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LttbTest {
    @Test
    void aMillionSamplesBecomeAtMostTwoThousandWithEndsAndExtremesKept() {
        int n = 1_000_000;
        double[] t = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 0.5;
            v[i] = 1000 + 100 * Math.sin(i / 5000.0);
        }
        v[123_457] = 99_999; // a one-sample spike: the reader must see it
        v[876_543] = -5; // and a one-sample dip
        Lttb.Points p = Lttb.downsample(t, v, Lttb.MAX_POINTS);
        assertTrue(p.size() <= 2000 && p.size() > 1990, "points " + p.size());
        assertEquals(0, p.t()[0]);
        assertEquals(t[n - 1], p.t()[p.size() - 1]);
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < p.size(); i++) {
            max = Math.max(max, p.v()[i]);
            min = Math.min(min, p.v()[i]);
            if (i > 0) {
                assertTrue(p.t()[i] > p.t()[i - 1], "times ascend");
            }
        }
        assertEquals(99_999, max);
        assertEquals(-5, min);
    }

    @Test
    void shortSeriesAreKeptWhole() {
        double[] t = {1, 2, 3};
        double[] v = {5, 6, 7};
        Lttb.Points p = Lttb.downsample(t, v, 2000);
        assertEquals(3, p.size());
        assertEquals(7, p.v()[2]);
    }

    @Test
    void aPeakThatPlainLttbWouldDropIsKept() {
        // plain LTTB keeps indices 0, 1, 4, 6, 9 here: the deep dip at 6 beats the peak of 19 at 8 in its bucket
        double[] t = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] v = {16, 12, 11, 15, 0, 15, 1, 9, 19, 18};
        Lttb.Points p = Lttb.downsample(t, v, 5);
        assertEquals(5, p.size());
        assertEquals(java.util.List.of(0.0, 1.0, 4.0, 8.0, 9.0),
                java.util.Arrays.stream(p.t()).boxed().toList());
    }
}
