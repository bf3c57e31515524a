package org.leakscope.stackwalk;

/**
 * The captured stack of one thread, as the walker may read it: like Breakpad, a walk reads only its own thread's
 * stack, so a rule or a frame pointer that points elsewhere (the heap, another thread's stack) fails instead of
 * reading whatever else the dump holds.
 */
final class StackMemory {
    static final StackMemory NONE = new StackMemory(0, new byte[0]);

    private final long base;
    private final byte[] bytes;

    StackMemory(long base, byte[] bytes) {
        this.base = base;
        this.bytes = bytes;
    }

    long base() {
        return base;
    }

    /** One past the last captured byte, unsigned. */
    long end() {
        return base + bytes.length;
    }

    /** The little-endian word of {@code size} (4 or 8) bytes at {@code address}, or null outside the stack. */
    Long read(long address, int size) {
        long off = address - base;
        if (Long.compareUnsigned(address, base) < 0 || Long.compareUnsigned(off, bytes.length) >= 0
                || off + size > bytes.length) {
            return null;
        }
        int at = (int) off;
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (bytes[at + i] & 0xff);
        }
        return v;
    }
}
