package org.leakscope.html;

import java.util.Locale;

/** Numbers for people on a page: sizes in binary units, counts grouped, durations in s, min or h. */
final class Figures {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Figures() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 2.0 GiB}; negative values keep their sign. */
    static String bytes(double v) {
        if (v < 0) {
            return "-" + bytes(-v);
        }
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }

    /** A whole number grouped by thousands ({@code 1,234,567}); fractions to one decimal. */
    static String count(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e18) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    /** {@code 42 s}, {@code 12.5 min}, {@code 71.0 h}, as the text report says it. */
    static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "";
        }
        if (Math.abs(seconds) < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (Math.abs(seconds) < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    /** {@code 0x00007ff6a1b20000}: an address with the given number of hex digits. */
    static String hex(long v, int digits) {
        String h = Long.toHexString(v);
        return "0x" + "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    /** At most {@code max} characters: the middle of a longer text replaced by an ellipsis. */
    static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int head = (max - 1) / 2;
        return s.substring(0, head) + "\u2026" + s.substring(s.length() - (max - 1 - head));
    }
}
