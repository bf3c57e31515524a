package org.leakscope.symbols.dwarf;

import org.leakscope.model.InputFormatException;

/**
 * Reads a call frame section between {@code position} and {@code limit} (an entry's end): every read is checked
 * against the limit first, so a damaged length can only end the entry, never read past it.
 */
final class CfiCursor {
    /** DW_EH_PE_omit: no pointer is present. */
    static final int PE_OMIT = 0xff;
    private static final int PE_INDIRECT = 0x80;

    private final CfiSection section;
    private long position;
    private long limit;

    CfiCursor(CfiSection section, long position, long limit) {
        this.section = section;
        this.position = position;
        this.limit = Math.min(limit, section.size());
    }

    /** Where pointers found outside the section ({@code indirect}) are read, and the bases of relative ones. */
    interface Bases {
        /** The {@code size}-byte little-endian value at {@code address}; an exception when the file has none. */
        long read(long address, int size);

        long text();

        long data();
    }

    long position() {
        return position;
    }

    long limit() {
        return limit;
    }

    boolean atEnd() {
        return position >= limit;
    }

    CfiSection section() {
        return section;
    }

    void seek(long to) {
        position = to;
    }

    InputFormatException error(String expected, String found) {
        return section.error(position, expected, found);
    }

    private void need(long n, String what) {
        if (n > limit - position) {
            throw error(what, "the entry's end after " + Math.max(0, limit - position) + " bytes");
        }
    }

    int u8() {
        need(1, "a byte");
        return section.bytes().get((int) position++) & 0xff;
    }

    int u16() {
        need(2, "a 2-byte value");
        int v = section.bytes().getShort((int) position) & 0xffff;
        position += 2;
        return v;
    }

    long u32() {
        need(4, "a 4-byte value");
        long v = section.bytes().getInt((int) position) & 0xffff_ffffL;
        position += 4;
        return v;
    }

    long u64() {
        need(8, "an 8-byte value");
        long v = section.bytes().getLong((int) position);
        position += 8;
        return v;
    }

    /** An unsigned value of {@code size} bytes (1, 2, 4 or 8). */
    long unsigned(int size) {
        return switch (size) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw error("an address size of 1, 2, 4 or 8", size + " bytes");
        };
    }

    long uleb() {
        return leb(false);
    }

    long sleb() {
        return leb(true);
    }

    /** A LEB128 value of at most 10 bytes (more cannot be a 64-bit value: damage). */
    private long leb(boolean signed) {
        long start = position;
        long v = 0;
        for (int shift = 0;; shift += 7) {
            int b = u8();
            if (shift < 64) {
                v |= (long) (b & 0x7f) << shift;
            }
            if ((b & 0x80) == 0) {
                if (signed && shift + 7 < 64 && (b & 0x40) != 0) {
                    v |= -1L << (shift + 7);
                }
                return v;
            }
            if (shift > 70) {
                throw section.error(start, (signed ? "a signed" : "an unsigned") + " LEB128 of at most 10 bytes",
                        "a longer one");
            }
        }
    }

    /** {@code n} bytes as a new array ({@code n} checked against the entry first). */
    byte[] bytes(long n) {
        need(n, n + " bytes");
        byte[] b = new byte[(int) n];
        section.bytes().get((int) position, b);
        position += n;
        return b;
    }

    void skip(long n) {
        need(n, n + " bytes");
        position += n;
    }

    /** A NUL-terminated ASCII string (augmentation strings). */
    String string() {
        StringBuilder s = new StringBuilder();
        for (int b = u8(); b != 0; b = u8()) {
            s.append((char) b);
        }
        return s.toString();
    }

    /**
     * A pointer in DWARF EH encoding {@code encoding} ({@code DW_EH_PE_*}: value format in the low nibble,
     * what it is relative to in bits 4-6, {@code 0x80} to read the pointer it points at). {@code function} is
     * the base for {@code funcrel} (the FDE's start; 0 while reading it).
     */
    long pointer(int encoding, int addressSize, Bases bases, long function) {
        if (encoding == PE_OMIT) {
            throw error("a pointer", "the omitted encoding 0xff");
        }
        long fieldAddress = section.address() + position;
        int app = encoding & 0x70;
        if (app == 0x50) { // aligned: an absolute pointer at the next multiple of the address size
            long rem = fieldAddress % addressSize;
            if (rem != 0) {
                skip(addressSize - rem);
            }
            fieldAddress = section.address() + position;
        }
        long v = switch (encoding & 0x0f) {
            case 0x0 -> addressSize == 8 ? u64() : u32(); // absptr
            case 0x1 -> uleb();
            case 0x2 -> u16();
            case 0x3 -> u32();
            case 0x4, 0xc -> u64();
            case 0x9 -> sleb();
            case 0xa -> (short) u16();
            case 0xb -> (int) u32();
            default -> throw error("a pointer encoding DW_EH_PE_*", String.format("0x%02x", encoding));
        };
        long base = switch (app) {
            case 0x00, 0x50 -> 0;
            case 0x10 -> fieldAddress; // pcrel
            case 0x20 -> bases.text(); // textrel
            case 0x30 -> bases.data(); // datarel
            case 0x40 -> function; // funcrel
            default -> throw error("a pointer application DW_EH_PE_*", String.format("0x%02x", encoding));
        };
        v += base;
        if (addressSize == 4) {
            v &= 0xffff_ffffL;
        }
        if ((encoding & PE_INDIRECT) != 0) {
            v = bases.read(v, addressSize);
        }
        return v;
    }
}
