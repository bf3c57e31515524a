package org.leakscope.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.leakscope.symbols.store.DebugFileLocator.DebugLink;

/**
 * An ELF program's {@code .gnu_debuglink} section, which {@code objcopy --add-gnu-debuglink} writes: the debug
 * file's name (NUL-terminated, padded to 4 bytes) and the CRC32 of that file, in the program's byte order.
 */
final class ElfDebugLink {
    /** A file name and a CRC: a section longer than this is damage and is not read. */
    private static final long MAX_SECTION = 4096;

    private ElfDebugLink() {
    }

    /**
     * The debuglink of the program open on {@code ch}, whose section table is {@code sections}; empty when it has
     * none or it is damaged (the build id may still find the file).
     */
    static Optional<DebugLink> read(FileChannel ch, String source, ImageSections sections) throws IOException {
        long size = ch.size();
        Optional<ImageSections.Section> s = sections.section(".gnu_debuglink");
        if (sections.pe() || s.isEmpty() || s.get().fileSize() < 8 || s.get().fileSize() > MAX_SECTION) {
            return Optional.empty();
        }
        byte[] ident = FileRange.read(ch, source, 5, 1, size, "the ELF byte order");
        byte[] b = FileRange.read(ch, source, s.get().fileOffset(), s.get().fileSize(), size,
                "the .gnu_debuglink section");
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        int crcAt = (end + 4) & ~3; // past the NUL, aligned to 4
        if (end == 0 || crcAt + 4 > b.length) {
            return Optional.empty();
        }
        ByteOrder order = ident[0] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long crc = ByteBuffer.wrap(b, crcAt, 4).order(order).getInt() & 0xffff_ffffL;
        return Optional.of(new DebugLink(new String(b, 0, end, StandardCharsets.UTF_8), crc));
    }
}
