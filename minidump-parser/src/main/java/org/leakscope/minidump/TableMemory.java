package org.leakscope.minidump;

/** Memory of a traced process as far as something captured it: a dump, or a table image file. */
public interface TableMemory {
    /** {@code length} bytes at virtual address {@code va}, or null when any of them was not captured. */
    byte[] readFully(long va, int length);

    /** Names the source in messages ("crash.dmp", "table.rmt"). */
    String source();
}
