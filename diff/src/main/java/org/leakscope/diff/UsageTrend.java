package org.leakscope.diff;

import org.leakscope.model.UsageSeries;

/**
 * Whether a usage series (memory bytes, thread count, ...) keeps growing. The rate is the least-squares slope
 * over every sample; "sustained" asks more than a positive slope, because one allocation burst or a cache
 * warming up also has one: the curve is cut into {@value #SEGMENTS} time-ordered segments and their means
 * must rise step after step (the same two-thirds-up, at-most-a-quarter-down rule as {@link StackTrend}), the
 * slope must stand well clear of the noise, and the growth must be worth reporting.
 *
 * @param metric         what was measured ({@code memory used}, {@code threads used}, ...)
 * @param samples        how many samples
 * @param spanSeconds    first to last sample
 * @param first          first sample
 * @param last           last sample
 * @param peak           largest sample
 * @param perHour        least-squares growth per hour
 * @param risingSteps    segment-to-segment steps that rose
 * @param fallingSteps   steps that fell
 * @param sustained      a leak-like, steady growth
 */
public record UsageTrend(String metric, long samples, double spanSeconds, double first, double last, double peak,
        double perHour, int risingSteps, int fallingSteps, boolean sustained) {
    public static final int SEGMENTS = UsageSeries.SEGMENTS;
    /** Below this many samples there is no trend to speak of. */
    public static final int MIN_SAMPLES = 2 * SEGMENTS;
    /** How many standard errors the slope must clear. */
    private static final double MIN_SIGNAL = 4.0;

    /**
     * @param minGrowth the least growth over the whole span that counts (e.g. 64 KiB for memory, 2 threads)
     * @return the trend, or null with fewer than {@link #MIN_SAMPLES} samples or no time span
     */
    public static UsageTrend of(String metric, UsageSeries s, double minGrowth) {
        double span = s.lastTime() - s.firstTime();
        if (s.count() < MIN_SAMPLES || !(span > 0)) {
            return null;
        }
        double slope = s.slope();
        double[] means = s.segmentMeans();
        int rising = 0;
        int falling = 0;
        for (int i = 1; i < SEGMENTS; i++) {
            if (means[i] > means[i - 1]) {
                rising++;
            } else if (means[i] < means[i - 1]) {
                falling++;
            }
        }
        int steps = SEGMENTS - 1;
        double growth = slope * span;
        double error = s.slopeError();
        boolean clear = error == 0 || !Double.isNaN(error) && slope > MIN_SIGNAL * error;
        boolean sustained = slope > 0 && clear && growth >= minGrowth && means[SEGMENTS - 1] > means[0]
                && rising * 3 >= steps * 2 && falling * 4 <= steps;
        return new UsageTrend(metric, s.count(), span, s.firstValue(), s.lastValue(), s.peakValue(), slope * 3600,
                rising, falling, sustained);
    }

    public double spanHours() {
        return spanSeconds / 3600;
    }
}
