package org.leakscope.html;

import java.util.Arrays;

/**
 * Largest-triangle-three-buckets downsampling (Steinarsson, "Downsampling Time Series for Visual
 * Representation", 2013): keeps the first and last point and, from each of {@code max - 2} equal buckets
 * between, the point that makes the largest triangle with the point kept before and the mean of the next
 * bucket, so the curve keeps its shape at a few thousand points however many samples there were. The series'
 * lowest and highest points are kept as well (a peak is the one point a reader must see), each in place of its
 * bucket's choice.
 */
final class Lttb {
    /** The most points a drawn series has. */
    static final int MAX_POINTS = 2000;

    private Lttb() {
    }

    /** Points as two parallel arrays, times ascending. */
    record Points(double[] t, double[] v) {
        int size() {
            return t.length;
        }
    }

    static Points downsample(double[] t, double[] v, int max) {
        int n = t.length;
        if (v.length != n) {
            throw new IllegalArgumentException("times and values differ in length");
        }
        if (n <= max || max < 3) {
            return new Points(t.clone(), v.clone());
        }
        int lo = 0;
        int hi = 0;
        for (int i = 1; i < n; i++) {
            if (v[i] < v[lo]) {
                lo = i;
            }
            if (v[i] > v[hi]) {
                hi = i;
            }
        }
        int[] keep = new int[max];
        keep[0] = 0;
        double every = (double) (n - 2) / (max - 2);
        int a = 0;
        for (int i = 0; i < max - 2; i++) {
            int from = (int) (i * every) + 1;
            int to = Math.min((int) ((i + 1) * every) + 1, n - 1);
            // the next bucket's mean (the last point for the last bucket)
            int nFrom = to;
            int nTo = Math.min((int) ((i + 2) * every) + 1, n);
            double mt = 0;
            double mv = 0;
            for (int j = nFrom; j < nTo; j++) {
                mt += t[j];
                mv += v[j];
            }
            int len = Math.max(1, nTo - nFrom);
            mt /= len;
            mv /= len;
            int best = from;
            double bestArea = -1;
            for (int j = from; j < to; j++) {
                if (j == lo || j == hi) {
                    best = j; // an extreme wins its bucket
                    break;
                }
                double area = Math.abs((t[a] - mt) * (v[j] - v[a]) - (t[a] - t[j]) * (mv - v[a]));
                if (area > bestArea) {
                    bestArea = area;
                    best = j;
                }
            }
            keep[i + 1] = best;
            a = best;
        }
        keep[max - 1] = n - 1;
        int[] idx = Arrays.stream(keep).distinct().sorted().toArray();
        double[] ot = new double[idx.length];
        double[] ov = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            ot[i] = t[idx[i]];
            ov[i] = v[idx[i]];
        }
        return new Points(ot, ov);
    }
}
