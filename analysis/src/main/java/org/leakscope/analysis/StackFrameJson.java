package org.leakscope.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.InlinedCall;
import org.leakscope.stackwalk.StackFrame;

/**
 * One frame of a walked stack as dumpscan writes it: the fields of {@link FrameJson} (address is the instruction
 * pointer, for callers the return address; offsets relative to it, as Breakpad prints them) plus its place and how
 * it was found.
 *
 * @param index     0 for the innermost frame
 * @param trust     how the walker found it: {@code context}, {@code cfi}, {@code cfi_scan}, {@code frame_pointer},
 *                  {@code leaf}, {@code scan} (the last two are guesses, least trusted)
 * @param inlined   the functions inlined at the frame's address, innermost first; null when none or unknown
 * @param registers the registers the walker recovered for this frame ({@code rip}, {@code rsp}, ...), as
 *                  zero-padded hex; null unless asked for ({@code --registers})
 */
public record StackFrameJson(int index, String trust, String address, String module, String moduleOffset,
        String function, String functionOffset, String sourceFile, Integer sourceLine, String text, String mangled,
        List<InlinedCall> inlined, Map<String, String> registers) {

    static StackFrameJson of(int index, StackFrame s, int pointerSize, boolean withRegisters) {
        Frame f = s.frame();
        Map<String, String> registers = null;
        if (withRegisters) {
            registers = new LinkedHashMap<>();
            for (var r : s.registers().entrySet()) {
                registers.put(r.getKey(), Hex.padded(r.getValue(), pointerSize));
            }
        }
        return new StackFrameJson(index, s.foundBy().word(), Hex.padded(f.address(), pointerSize), f.module(),
                hex(f.moduleOffset()), f.function(), hex(f.functionOffset()), f.sourceFile(), f.sourceLine(),
                f.describe(), f.mangled(), f.inlined().isEmpty() ? null : f.inlined(), registers);
    }

    private static String hex(Long value) {
        return value == null ? null : Hex.of(value);
    }
}
