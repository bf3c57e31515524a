package org.leakscope.minidump;

/** The dynamic linker's r_debug from LinuxDsoDebug. */
public record DsoDebug(long version, long map, long dsoCount, long brk, long ldBase, long dynamic) {
}
