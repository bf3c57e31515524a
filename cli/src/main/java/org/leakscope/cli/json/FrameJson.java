package org.leakscope.cli.json;

import org.leakscope.model.Frame;

/**
 * A resolved address; {@code text} is the WinDbg-style rendering ({@code module!function+0x3}); {@code function}
 * is the readable name and {@code mangled} the symbol as its file spells it, null when it was not mangled.
 */
public record FrameJson(String address, String module, String moduleOffset, String function,
        String functionOffset, String sourceFile, Integer sourceLine, String text, String mangled) {

    public static FrameJson of(Frame f, int pointerSize) {
        if (f == null) {
            return null;
        }
        return new FrameJson(Json.addr(f.address(), pointerSize), f.module(), Json.hex(f.moduleOffset()),
                f.function(), Json.hex(f.functionOffset()), f.sourceFile(), f.sourceLine(), f.describe(), f.mangled());
    }
}
