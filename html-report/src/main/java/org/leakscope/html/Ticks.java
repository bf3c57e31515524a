package org.leakscope.html;

/** Round axis ticks: steps of 1, 2 or 5 times a power of ten that cover a range in about {@code n} steps. */
final class Ticks {
    private Ticks() {
    }

    /**
     * Ticks for bytes: steps of a power of two times a power of 1024 (256 KiB, 1 MiB, 2 MiB...), so the labels
     * read as round binary sizes.
     */
    static double[] binary(double lo, double hi, int n) {
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double raw = (hi - lo) / n;
        double step = 1;
        while (step < raw) {
            step *= 2;
        }
        return from(lo, hi, step);
    }

    /** Ticks from a multiple of the step at or below {@code lo} to one at or above {@code hi}. */
    static double[] nice(double lo, double hi, int n) {
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double raw = (hi - lo) / n;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double f : new double[] {1, 2, 5, 10}) {
            step = f * mag;
            if (step >= raw) {
                break;
            }
        }
        return from(lo, hi, step);
    }

    private static double[] from(double lo, double hi, double step) {
        double start = Math.floor(lo / step) * step;
        int count = (int) Math.ceil((hi - start) / step - 1e-9) + 1;
        double[] out = new double[Math.max(2, count)];
        for (int i = 0; i < out.length; i++) {
            out[i] = start + i * step;
        }
        return out;
    }
}
