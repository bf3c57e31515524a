package org.leakscope.model;

/**
 * A function the compiler inlined at a frame's address, shown as a frame of its own the way Breakpad, lldb and
 * addr2line -i do. A frame's inlined calls are listed innermost first: the first is where the address is (its
 * line is the line-table row of the address); each next one is the function that called the previous one (its line
 * is that call's site); the frame itself is the real, outermost function, and its source line is the call site of
 * the last inlined call.
 *
 * @param function   the inlined function's readable name (demangled), or null when the debug data names none
 * @param mangled    the name as the file spells it when {@code function} is its demangled form, else null
 * @param sourceFile the source file of {@code sourceLine}, or null
 * @param sourceLine 1-based line inside this inlined function, or null
 */
public record InlinedCall(String function, String mangled, String sourceFile, Integer sourceLine) {
}
