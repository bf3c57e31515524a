package org.leakscope.symbols.dwarf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One debug section's bytes (mapped from the file, or inflated when it was compressed), read through
 * {@link Cursor}s. {@code fileOffset} is where its bytes start in the file, or -1 when they were inflated: errors
 * then name the section offset instead of a file offset.
 */
record Section(String source, String name, ByteBuffer bytes, long fileOffset) {
    static Section empty(String source, String name, ByteOrder order) {
        return new Section(source, name, ByteBuffer.allocate(0).order(order), -1);
    }

    int size() {
        return bytes.limit();
    }

    Cursor at(long offset) {
        return new Cursor(this, offset);
    }
}
