package org.leakscope.cli.text;

/** Byte counts for people, as the analysis layer words them in findings (one wording for both). */
public final class Sizes {
    private Sizes() {
    }

    /** {@code 1,408} */
    public static String exact(long bytes) {
        return org.leakscope.analysis.Sizes.exact(bytes);
    }

    /** {@code 12.5 MiB}; unsigned-safe for huge values. */
    public static String human(long bytes) {
        return org.leakscope.analysis.Sizes.human(bytes);
    }
}
