package org.leakscope.symbols.dwarf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.leakscope.model.InputFormatException;

/**
 * The bytes of one call frame section ({@code .eh_frame}, {@code .debug_frame} or {@code .eh_frame_hdr}) with
 * where they came from: errors name the file offset (or, for a decompressed section, the section offset), and
 * pc-relative pointers count from {@code address}.
 *
 * @param source     the file, for messages
 * @param name       the section's name
 * @param bytes      its bytes (mapped, or decompressed), little-endian
 * @param fileOffset the file offset of byte 0, or -1 when the bytes were decompressed
 * @param address    the address byte 0 is loaded at
 */
record CfiSection(String source, String name, ByteBuffer bytes, long fileOffset, long address) {
    CfiSection {
        bytes = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** How many bytes the section has. */
    long size() {
        return bytes.limit();
    }

    /** True for {@code .eh_frame}: CIE id 0, relative CIE pointers, a zero length ends the section. */
    boolean eh() {
        return name.equals(".eh_frame");
    }

    /** An error at section offset {@code at}, placed in the file where the bytes are the file's own. */
    InputFormatException error(long at, String expected, String found) {
        return fileOffset >= 0
                ? InputFormatException.atOffset(source, fileOffset + at, expected + " (in " + name + ")", found)
                : InputFormatException.atOffset(source + " (" + name + ", decompressed)", at, expected, found);
    }
}
