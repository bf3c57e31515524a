package org.leakscope.minidump;

import java.util.Map;

/**
 * The registers a stack walk starts from, decoded from a thread's CONTEXT.
 *
 * @param cpu                x86, amd64 or arm64
 * @param flags              ContextFlags as written
 * @param instructionPointer eip / rip / pc
 * @param stackPointer       esp / rsp / sp
 * @param framePointer       ebp / rbp / fp (x29)
 * @param declaredSize       the context size the dump declares (716, 1232, 1663, 2747, 912 occur)
 * @param registers          every named register, in CPU order, for {@code --raw}
 */
public record CpuContext(String cpu, long flags, long instructionPointer, long stackPointer, long framePointer,
        long declaredSize, Map<String, Long> registers) {
}
