package org.leakscope.cli.text;

/** Byte counts for people: exact with thousands separators, plus a binary-unit approximation. */
public final class Sizes {
    private Sizes() {
    }

    /** {@code 1,408} */
    public static String exact(long bytes) {
        return String.format("%,d", bytes);
    }

    /** {@code 12.5 MiB}; unsigned-safe for huge values. */
    public static String human(long bytes) {
        double v = bytes < 0 ? (bytes >>> 1) * 2.0 : bytes;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format("%d B", bytes) : String.format("%.1f %s", v, units[u]);
    }
}
