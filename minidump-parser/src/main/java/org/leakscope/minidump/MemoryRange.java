package org.leakscope.minidump;

/**
 * Captured memory: {@code size} bytes of the process's address space from {@code start}, stored at
 * {@code fileOffset} in the dump (MemoryList or Memory64List).
 */
public record MemoryRange(long start, long size, long fileOffset) {

    /** One past the last address, unsigned. */
    public long end() {
        return start + size;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address - start, size) < 0;
    }
}
