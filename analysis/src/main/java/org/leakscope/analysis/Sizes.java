package org.leakscope.analysis;

/**
 * Byte counts for people: exact with thousands separators, plus a binary-unit approximation. Here because
 * findings are sentences the analysis layer writes (the same in text and JSON); the renderers use it too.
 */
public final class Sizes {
    private Sizes() {
    }

    /** {@code 1,408} */
    public static String exact(long bytes) {
        String digits = Long.toUnsignedString(bytes);
        int n = digits.length();
        char[] out = new char[n + (n - 1) / 3]; // one array, not a builder: reports print thousands of these
        for (int i = 0, o = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0) {
                out[o++] = ',';
            }
            out[o++] = digits.charAt(i);
        }
        return new String(out);
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
        if (u == 0) {
            return bytes + " B";
        }
        long tenths = Math.round(v * 10);
        return tenths / 10 + "." + tenths % 10 + " " + units[u];
    }
}
