package org.leakscope.symbols.dwarf;

/**
 * A function inlined at an address ({@code DW_TAG_inlined_subroutine}), and where its caller called it.
 *
 * @param function the inlined function's name
 * @param callFile the file of the call site in the caller (the next outer frame), or null
 * @param callLine the call site's line, or null
 */
public record InlineFrame(String function, String callFile, Integer callLine) {
}
