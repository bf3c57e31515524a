package org.leakscope.minidump;

/** The dynamic linker's r_debug from LinuxDsoDebug; {@code mapOffset} is the file offset of the link maps. */
public record DsoDebug(long version, long mapOffset, long dsoCount, long brk, long ldBase, long dynamic) {
}
