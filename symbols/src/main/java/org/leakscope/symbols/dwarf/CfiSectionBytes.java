package org.leakscope.symbols.dwarf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.leakscope.model.InputFormatException;
import org.leakscope.symbols.ImageSections;

/**
 * A call frame section's bytes: mapped from the file, or inflated when the ELF section is compressed
 * ({@code SHF_COMPRESSED} with a zlib {@code Elf_Chdr}, as {@code --compress-debug-sections} writes
 * {@code .debug_frame}, or the older GNU {@code .zdebug_frame}); the uncompressed size is checked against
 * {@link CallFrameInfo#MAX_SECTION} before anything is allocated.
 */
final class CfiSectionBytes {
    private static final int ELFCOMPRESS_ZLIB = 1;

    private CfiSectionBytes() {
    }

    /** The bytes of {@code s}; {@code is64}: the file is ELFCLASS64 (the compression header's form). */
    static CfiSection read(FileChannel ch, String source, ImageSections.Section s, boolean is64) throws IOException {
        long size = ch.size();
        if (s.fileOffset() < 0 || s.fileSize() < 0 || s.fileOffset() > size || s.fileSize() > size - s.fileOffset()) {
            throw InputFormatException.atOffset(source, Math.max(0, s.fileOffset()), s.name() + " ("
                    + Long.toUnsignedString(s.fileSize()) + " bytes) inside the " + size + "-byte file",
                    "a section past its end");
        }
        if (s.fileSize() > CallFrameInfo.MAX_SECTION) {
            throw InputFormatException.atOffset(source, s.fileOffset(), s.name() + " of at most "
                    + CallFrameInfo.MAX_SECTION + " bytes", s.fileSize() + " bytes");
        }
        ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, s.fileOffset(), s.fileSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        if (s.name().startsWith(".zdebug_")) {
            return new CfiSection(source, "." + s.name().substring(2), gnuInflate(source, s, mapped), -1,
                    s.address());
        }
        if (!s.compressed()) {
            return new CfiSection(source, s.name(), mapped, s.fileOffset(), s.address());
        }
        return new CfiSection(source, s.name(), inflate(source, s, mapped, is64), -1, s.address());
    }

    /** The older GNU form ({@code .zdebug_frame}): "ZLIB", the size as 8 big-endian bytes, zlib data. */
    private static ByteBuffer gnuInflate(String source, ImageSections.Section s, ByteBuffer in) {
        if (in.limit() < 12 || in.getInt(0) != 0x42494c5a) { // "ZLIB" read little-endian
            throw InputFormatException.atOffset(source, s.fileOffset(), "\"ZLIB\" and a size in " + s.name(),
                    "other bytes");
        }
        long length = in.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(4);
        return zlib(source, s, in, 12, length, s.fileOffset() + 4);
    }

    private static ByteBuffer inflate(String source, ImageSections.Section s, ByteBuffer in, boolean wide) {
        // Elf64_Chdr: type u4, reserved u4, size u8, align u8; Elf32_Chdr: type, size, align as u4

        int header = wide ? 24 : 12;
        if (in.limit() < header) {
            throw InputFormatException.atOffset(source, s.fileOffset(), "a compression header", "a shorter section");
        }
        int type = in.getInt(0);
        long length = wide ? in.getLong(8) : in.getInt(4) & 0xffff_ffffL;
        if (type != ELFCOMPRESS_ZLIB) {
            throw InputFormatException.atOffset(source, s.fileOffset(), "zlib compression (type 1)", "type " + type);
        }
        return zlib(source, s, in, header, length, s.fileOffset() + (wide ? 8 : 4));
    }

    /** {@code length} bytes inflated from {@code in} after {@code header} bytes; the size is checked first. */
    private static ByteBuffer zlib(String source, ImageSections.Section s, ByteBuffer in, int header, long length,
            long lengthAt) {
        if (length < 0 || length > CallFrameInfo.MAX_SECTION) {
            throw InputFormatException.atOffset(source, lengthAt, "an uncompressed size of at most "
                    + CallFrameInfo.MAX_SECTION + " bytes", Long.toUnsignedString(length));
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in.slice(header, in.limit() - header));
            byte[] out = new byte[(int) length];
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != out.length) {
                throw InputFormatException.atOffset(source, s.fileOffset(), length + " bytes of zlib data in "
                        + s.name(), n + " bytes");
            }
            return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        } catch (DataFormatException e) {
            throw InputFormatException.atOffset(source, s.fileOffset(), "zlib data in " + s.name(), e.getMessage());
        } finally {
            inflater.end();
        }
    }
}
