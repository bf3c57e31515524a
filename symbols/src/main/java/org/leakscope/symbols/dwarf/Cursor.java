package org.leakscope.symbols.dwarf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.leakscope.model.InputFormatException;

/**
 * A bounded reader of one section: every read checks the bytes are there and throws
 * {@link InputFormatException} naming the section and the offset where they ran out, so damaged debug
 * information never surfaces as an index or buffer exception. Positions are ints: a section is one mapping.
 */
final class Cursor {
    private final Section section;
    private final ByteBuffer b;
    private int pos;
    private int end;

    Cursor(Section section, long offset) {
        this.section = section;
        this.b = section.bytes();
        this.end = b.limit();
        if (offset < 0 || offset > end) {
            throw fail(Math.max(0, Math.min(offset, end)), "an offset inside " + section.name() + " (" + end
                    + " bytes)", "offset " + offset);
        }
        this.pos = (int) offset;
    }

    /** Limits reads to {@code length} bytes from here (a unit's or a program's declared length). */
    Cursor limit(long length, String what) {
        if (length < 0 || length > end - pos) {
            throw fail(pos, what + " of at most " + (end - pos) + " bytes", length + " bytes");
        }
        end = pos + (int) length;
        return this;
    }

    Section section() {
        return section;
    }

    int pos() {
        return pos;
    }

    int end() {
        return end;
    }

    boolean more() {
        return pos < end;
    }

    void seek(long offset) {
        if (offset < 0 || offset > end) {
            throw fail(pos, "an offset inside " + section.name() + " up to " + end, "offset " + offset);
        }
        pos = (int) offset;
    }

    void skip(long n) {
        need(n);
        pos += (int) n;
    }

    private void need(long n) {
        if (n < 0 || n > end - pos) {
            throw fail(pos, n + " more bytes of " + section.name(), (end - pos) + " bytes left");
        }
    }

    int u8() {
        need(1);
        return b.get(pos++) & 0xff;
    }

    int u16() {
        need(2);
        int v = b.getShort(pos) & 0xffff;
        pos += 2;
        return v;
    }

    long u24() {
        need(3);
        int b0 = b.get(pos) & 0xff;
        int b1 = b.get(pos + 1) & 0xff;
        int b2 = b.get(pos + 2) & 0xff;
        pos += 3;
        return b.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? b0 | b1 << 8 | b2 << 16 : b2 | b1 << 8 | b0 << 16;
    }

    long u32() {
        need(4);
        long v = b.getInt(pos) & 0xffffffffL;
        pos += 4;
        return v;
    }

    long u64() {
        need(8);
        long v = b.getLong(pos);
        pos += 8;
        return v;
    }

    /** An unsigned value of 1, 2, 4 or 8 bytes (addresses, offsets). */
    long unsigned(int size) {
        return switch (size) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw fail(pos, "an address or offset size of 1, 2, 4 or 8", String.valueOf(size));
        };
    }

    long uleb() {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = u8();
            if (shift < 64) {
                v |= (long) (x & 0x7f) << shift;
            }
            shift += 7;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    long sleb() {
        long v = 0;
        int shift = 0;
        int x;
        do {
            x = u8();
            if (shift < 64) {
                v |= (long) (x & 0x7f) << shift;
            }
            shift += 7;
        } while ((x & 0x80) != 0);
        if (shift < 64 && (x & 0x40) != 0) {
            v |= -1L << shift;
        }
        return v;
    }

    /** A NUL-terminated string here, as UTF-8. */
    String cstring() {
        int start = pos;
        while (true) {
            need(1);
            if (b.get(pos) == 0) {
                break;
            }
            pos++;
        }
        byte[] s = new byte[pos - start];
        b.get(start, s);
        pos++;
        return new String(s, StandardCharsets.UTF_8);
    }

    /** An error at section offset {@code at}, as a file offset when the section was mapped, not inflated. */
    InputFormatException fail(long at, String expected, String found) {
        return fail(section, at, expected, found);
    }

    static InputFormatException fail(Section s, long at, String expected, String found) {
        if (s.fileOffset() >= 0) {
            return InputFormatException.atOffset(s.source(), s.fileOffset() + at, expected + " (" + s.name()
                    + " offset " + at + ")", found);
        }
        return InputFormatException.atOffset(s.source(), at, expected + " (offset in the decompressed "
                + s.name() + ")", found);
    }
}
