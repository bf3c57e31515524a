package org.leakscope.umdh;

import java.nio.charset.Charset;
import java.util.function.LongConsumer;
import org.leakscope.model.Limits;

/**
 * How to read a UMDH log.
 *
 * @param limits        caps (line length, modules)
 * @param strict        a line the reader does not understand is an error, not a warning
 * @param ansiCharset   code page for non-UTF-8 text (module paths, symbol names); windows-1252 by default
 * @param compareRadix  16 or 10 to force how a compare file's numbers are read; 0 to detect
 * @param progress      raw bytes read so far, about every 64 MiB; null for none
 */
public record UmdhOptions(Limits limits, boolean strict, Charset ansiCharset, int compareRadix,
        LongConsumer progress) {
    /** Warnings allowed before a log is declared too damaged to read. */
    public static final int MAX_PROBLEMS = 1000;
    /** Frames kept per stack (UMDH records at most 32 or 64). */
    public static final int MAX_FRAMES = 1024;

    public static UmdhOptions defaults() {
        return new UmdhOptions(Limits.DEFAULT, false, Charset.forName("windows-1252"), 0, null);
    }

    public UmdhOptions withStrict(boolean s) {
        return new UmdhOptions(limits, s, ansiCharset, compareRadix, progress);
    }

    public UmdhOptions withProgress(LongConsumer p) {
        return new UmdhOptions(limits, strict, ansiCharset, compareRadix, p);
    }

    public UmdhOptions withAnsiCharset(Charset c) {
        return new UmdhOptions(limits, strict, c, compareRadix, progress);
    }

    public UmdhOptions withCompareRadix(int r) {
        return new UmdhOptions(limits, strict, ansiCharset, r, progress);
    }
}
