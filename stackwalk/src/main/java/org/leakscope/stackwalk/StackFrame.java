package org.leakscope.stackwalk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.leakscope.model.Frame;

/**
 * One frame of a walked stack.
 *
 * @param frame       module, offset, function, source position and inlined calls; its {@code address} is the
 *                    instruction pointer (for callers: the return address), offsets are relative to it as Breakpad
 *                    prints them, and names were looked up at {@code instruction}
 * @param instruction the address inside the call instruction: the instruction pointer for frame 0, one byte before
 *                    the return address for callers (the return address may already be the next line or function)
 * @param foundBy     how the walker found this frame
 * @param registers   the registers recovered for this frame, by their CPU names ({@code rip}, {@code rsp},
 *                    {@code rbp}, ...; {@code eip}, {@code esp}, ...); only those the walker could recover
 */
public record StackFrame(Frame frame, long instruction, FoundBy foundBy, Map<String, Long> registers) {
    public StackFrame {
        registers = Collections.unmodifiableMap(new LinkedHashMap<>(registers));
    }

    public long instructionPointer() {
        return frame.address();
    }
}
