package org.leakscope.resmon;

import java.nio.charset.Charset;
import org.leakscope.model.Limits;

/**
 * How to read a DebugView log.
 *
 * @param limits      caps (line length)
 * @param strict      a line the reader does not understand is an error, not a warning
 * @param ansiCharset the capturing machine's code page, used for lines that are not valid UTF-8 (DebugView
 *                    saves in the system code page: cp1251, GBK, ...); windows-1252 by default
 */
public record DebugViewOptions(Limits limits, boolean strict, Charset ansiCharset) {
    public static DebugViewOptions defaults() {
        return new DebugViewOptions(Limits.DEFAULT, false, Charset.forName("windows-1252"));
    }

    public DebugViewOptions withAnsiCharset(Charset c) {
        return new DebugViewOptions(limits, strict, c);
    }

    public DebugViewOptions withStrict(boolean s) {
        return new DebugViewOptions(limits, s, ansiCharset);
    }
}
