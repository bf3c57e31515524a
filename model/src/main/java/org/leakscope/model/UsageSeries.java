package org.leakscope.model;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One measured quantity over time (memory bytes, thread count, ...) in bounded memory, however long the
 * capture: exact first/last/peak values and least-squares sums over every sample, plus a downsampled copy of
 * the curve (at most {@link #MAX_POINTS} points, each the mean of an equal number of consecutive samples) for
 * shape tests and plots. Times are seconds on any continuous axis.
 */
public final class UsageSeries {
    public static final int MAX_POINTS = 1024;
    /** How many equal parts {@link #segmentMeans()} cuts the curve into. */
    public static final int SEGMENTS = 8;

    private long count;
    private double firstTime = Double.NaN;
    private double firstValue;
    private double lastTime;
    private double lastValue;
    private double peakValue = Double.NEGATIVE_INFINITY;
    private double peakTime;
    // least-squares sums, relative to the first sample so large epochs and byte counts keep their precision
    private double st;
    private double sy;
    private double stt;
    private double sty;
    private double syy;

    private final Spares spares;
    private double[] times;
    private double[] values;
    private int points;
    private long stride = 1;
    private double[] frozenMeans;
    private long pendingCount;
    private double pendingTime;
    private double pendingValue;

    /**
     * Curve arrays that frozen series give back for new ones to take, so a log with thousands of consecutive runs
     * allocates the curves of the few that run at once rather than growing each new curve again (~300 MB for a
     * 1 GB log's 1,600 runs). For the series of one thread.
     */
    public static final class Spares {
        /** Arrays kept: five series of a dozen runs at once, 8 KB each. */
        private static final int MAX = 128;
        private final ArrayDeque<double[]> arrays = new ArrayDeque<>();

        double[] take() {
            return arrays.poll();
        }

        void give(double[] a) {
            if (arrays.size() < MAX) {
                arrays.push(a);
            }
        }
    }

    public UsageSeries() {
        this(null);
    }

    /** @param spares where the curve's arrays come from and go back to when frozen; may be null */
    public UsageSeries(Spares spares) {
        this.spares = spares;
        double[] t = spares == null ? null : spares.take();
        double[] v = t == null ? null : spares.take();
        if (v == null) {
            if (t != null) {
                spares.give(t);
            }
            t = new double[16];
            v = new double[16];
        }
        times = t;
        values = v;
    }

    public void add(double time, double value) {
        if (frozenMeans != null) {
            throw new IllegalStateException("frozen");
        }
        if (count == 0) {
            firstTime = time;
            firstValue = value;
        }
        count++;
        lastTime = time;
        lastValue = value;
        if (value > peakValue) {
            peakValue = value;
            peakTime = time;
        }
        double t = time - firstTime;
        double y = value - firstValue;
        st += t;
        sy += y;
        stt += t * t;
        sty += t * y;
        syy += y * y;
        pendingTime += time;
        pendingValue += value;
        if (++pendingCount == stride) {
            push(pendingTime / stride, pendingValue / stride);
            pendingCount = 0;
            pendingTime = 0;
            pendingValue = 0;
        }
    }

    private void push(double t, double v) {
        if (points == MAX_POINTS) {
            for (int i = 0; i < MAX_POINTS / 2; i++) {
                times[i] = (times[2 * i] + times[2 * i + 1]) / 2;
                values[i] = (values[2 * i] + values[2 * i + 1]) / 2;
            }
            points = MAX_POINTS / 2;
            stride *= 2;
            // this sample stood for half a new point; count it as a whole one (a rounding of the newest point)
        }
        if (points == times.length) {
            times = Arrays.copyOf(times, Math.min(MAX_POINTS, points * 2));
            values = Arrays.copyOf(values, times.length);
        }
        times[points] = t;
        values[points] = v;
        points++;
    }

    public long count() {
        return count;
    }

    public double firstTime() {
        return firstTime;
    }

    public double firstValue() {
        return firstValue;
    }

    public double lastTime() {
        return lastTime;
    }

    public double lastValue() {
        return lastValue;
    }

    public double peakValue() {
        return peakValue;
    }

    public double peakTime() {
        return peakTime;
    }

    /** Least-squares slope in value units per time unit over every sample; NaN with fewer than two times. */
    public double slope() {
        double den = count * stt - st * st;
        if (count < 2 || den <= 0) {
            return Double.NaN;
        }
        return (count * sty - st * sy) / den;
    }

    /**
     * Standard error of {@link #slope()} from the residuals around the fitted line (NaN with fewer than three
     * samples). Consecutive samples of real usage are correlated, so treat slope / error as a rough signal,
     * not a test statistic.
     */
    public double slopeError() {
        if (count < 3) {
            return Double.NaN;
        }
        double n = count;
        double sttc = stt - st * st / n;
        double syyc = syy - sy * sy / n;
        double styc = sty - st * sy / n;
        if (sttc <= 0) {
            return Double.NaN;
        }
        double residual = Math.max(0, syyc - styc * styc / sttc);
        return Math.sqrt(residual / (n - 2) / sttc);
    }

    /**
     * Means of {@link #SEGMENTS} consecutive, equally long stretches of the downsampled curve (NaN for an empty
     * stretch): the shape a trend test needs, kept after {@link #freeze()}.
     */
    public double[] segmentMeans() {
        if (frozenMeans != null) {
            return frozenMeans.clone();
        }
        double[] means = new double[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            int from = (int) ((long) points * i / SEGMENTS);
            int to = (int) ((long) points * (i + 1) / SEGMENTS);
            double sum = 0;
            for (int j = from; j < to; j++) {
                sum += values[j];
            }
            means[i] = to > from ? sum / (to - from) : Double.NaN;
        }
        return means;
    }

    /**
     * Ends the series: keeps the statistics and the segment means and drops the curve, so a log with thousands
     * of finished runs holds a few hundred bytes per series.
     */
    public void freeze() {
        if (frozenMeans == null) {
            frozenMeans = segmentMeans();
            if (spares != null && times.length == MAX_POINTS) {
                spares.give(times);
                spares.give(values);
            }
            times = new double[0];
            values = new double[0];
            points = 0;
        }
    }

    /** The downsampled curve's times (a copy, oldest first; empty once frozen). */
    public double[] pointTimes() {
        return Arrays.copyOf(times, points);
    }

    /** The downsampled curve's values, matching {@link #pointTimes()}. */
    public double[] pointValues() {
        return Arrays.copyOf(values, points);
    }
}
