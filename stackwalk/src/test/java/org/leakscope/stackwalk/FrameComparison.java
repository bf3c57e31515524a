package org.leakscope.stackwalk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.leakscope.model.Frame;

/** A walked frame beside Breakpad's: the fields that differ, worded for a failure message. */
final class FrameComparison {
    private FrameComparison() {
    }

    /** Breakpad's words for how a frame was found. */
    static final Map<String, FoundBy> BREAKPAD_TRUST = Map.of(
            "given as instruction pointer in context", FoundBy.CONTEXT,
            "call frame info", FoundBy.CFI,
            "call frame info with scanning", FoundBy.CFI_SCAN,
            "previous frame's frame pointer", FoundBy.FRAME_POINTER,
            "stack scanning", FoundBy.SCAN,
            "simulating a return from leaf function", FoundBy.LEAF);

    /**
     * Module, function, file name, line, offset, instruction and stack pointers, found-by: each that differs, as
     * {@code field: expected X, found Y}.
     */
    static List<String> differences(BreakpadStackText.Frame expected, StackFrame actual, String ip, String sp) {
        List<String> out = new ArrayList<>();
        Frame f = actual.frame();
        check(out, "module", expected.module(), f.module());
        check(out, "function", expected.function(), f.function());
        check(out, "file", expected.file(), f.sourceFile() == null ? null : baseName(f.sourceFile()));
        check(out, "line", expected.line(), f.sourceLine());
        if (expected.file() == null && expected.offset() != null) {
            check(out, "offset", expected.offset(), f.function() != null ? f.functionOffset() : f.moduleOffset());
        }
        check(out, ip, expected.registers().get(ip), actual.registers().get(ip));
        check(out, sp, expected.registers().get(sp), actual.registers().get(sp));
        check(out, "found by", BREAKPAD_TRUST.get(expected.foundBy()), actual.foundBy());
        return out;
    }

    private static void check(List<String> out, String field, Object expected, Object found) {
        if (!Objects.equals(expected, found)) {
            out.add(field + ": expected " + show(expected) + ", found " + show(found));
        }
    }

    private static String show(Object o) {
        return o instanceof Long l ? "0x" + Long.toHexString(l) : String.valueOf(o);
    }

    static String baseName(String path) {
        int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(cut + 1);
    }
}
