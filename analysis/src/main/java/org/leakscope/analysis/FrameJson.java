package org.leakscope.analysis;

import java.util.List;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.InlinedCall;

/**
 * A resolved address; {@code text} is the WinDbg-style rendering ({@code module!function+0x3}); {@code function}
 * is the readable name and {@code mangled} the symbol as its file spells it, null when it was not mangled;
 * {@code inlined}: the functions inlined at the address, innermost first ({@link InlinedCall}: function, mangled,
 * sourceFile, sourceLine), empty when none or unknown. Every report that names code (dumpscan, dumpscan --resmon,
 * leakdiff, logscan) writes frames this way.
 */
public record FrameJson(String address, String module, String moduleOffset, String function,
        String functionOffset, String sourceFile, Integer sourceLine, String text, String mangled,
        List<InlinedCall> inlined) {

    public FrameJson {
        inlined = inlined == null ? List.of() : List.copyOf(inlined);
    }

    /** The frame as the JSON documents write it: addresses zero-padded to the pointer size; null for null. */
    public static FrameJson of(Frame f, int pointerSize) {
        if (f == null) {
            return null;
        }
        return new FrameJson(Hex.padded(f.address(), pointerSize), f.module(), hex(f.moduleOffset()),
                f.function(), hex(f.functionOffset()), f.sourceFile(), f.sourceLine(), f.describe(), f.mangled(),
                f.inlined());
    }

    private static String hex(Long value) {
        return value == null ? null : Hex.of(value);
    }
}
