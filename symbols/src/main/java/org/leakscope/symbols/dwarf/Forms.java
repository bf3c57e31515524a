package org.leakscope.symbols.dwarf;

/**
 * DWARF attribute forms (DWARF 5, section 7.5.6, and the GNU extensions gcc emits): how many bytes each takes,
 * so a DIE's attributes this reader does not use are skipped exactly, and what class a value is.
 */
final class Forms {
    static final int ADDR = 0x01;
    static final int BLOCK2 = 0x03;
    static final int BLOCK4 = 0x04;
    static final int DATA2 = 0x05;
    static final int DATA4 = 0x06;
    static final int DATA8 = 0x07;
    static final int STRING = 0x08;
    static final int BLOCK = 0x09;
    static final int BLOCK1 = 0x0a;
    static final int DATA1 = 0x0b;
    static final int FLAG = 0x0c;
    static final int SDATA = 0x0d;
    static final int STRP = 0x0e;
    static final int UDATA = 0x0f;
    static final int REF_ADDR = 0x10;
    static final int REF1 = 0x11;
    static final int REF2 = 0x12;
    static final int REF4 = 0x13;
    static final int REF8 = 0x14;
    static final int REF_UDATA = 0x15;
    static final int INDIRECT = 0x16;
    static final int SEC_OFFSET = 0x17;
    static final int EXPRLOC = 0x18;
    static final int FLAG_PRESENT = 0x19;
    static final int STRX = 0x1a;
    static final int ADDRX = 0x1b;
    static final int REF_SUP4 = 0x1c;
    static final int STRP_SUP = 0x1d;
    static final int DATA16 = 0x1e;
    static final int LINE_STRP = 0x1f;
    static final int REF_SIG8 = 0x20;
    static final int IMPLICIT_CONST = 0x21;
    static final int LOCLISTX = 0x22;
    static final int RNGLISTX = 0x23;
    static final int REF_SUP8 = 0x24;
    static final int STRX1 = 0x25;
    static final int STRX2 = 0x26;
    static final int STRX3 = 0x27;
    static final int STRX4 = 0x28;
    static final int ADDRX1 = 0x29;
    static final int ADDRX2 = 0x2a;
    static final int ADDRX3 = 0x2b;
    static final int ADDRX4 = 0x2c;
    static final int GNU_ADDR_INDEX = 0x1f01;
    static final int GNU_STR_INDEX = 0x1f02;
    static final int GNU_REF_ALT = 0x1f20;
    static final int GNU_STRP_ALT = 0x1f21;

    private Forms() {
    }

    /**
     * Reads one value of {@code form} at the cursor: constants, addresses, offsets and indexes as they are
     * (references relative to the unit; strings as the offset of their first byte in {@code .debug_info} for
     * {@link #STRING}); blocks are skipped and read as their length.
     */
    static long read(Cursor c, int form, UnitHeader u) {
        return switch (form) {
            case ADDR -> c.unsigned(u.addressSize());
            case BLOCK2 -> skip(c, c.u16());
            case BLOCK4 -> skip(c, c.u32());
            case BLOCK, EXPRLOC -> skip(c, c.uleb());
            case BLOCK1 -> skip(c, c.u8());
            case DATA1, FLAG, REF1, STRX1, ADDRX1 -> c.u8();
            case DATA2, REF2, STRX2, ADDRX2 -> c.u16();
            case STRX3, ADDRX3 -> c.u24();
            case DATA4, REF4, REF_SUP4, STRX4, ADDRX4 -> c.u32();
            case DATA8, REF8, REF_SIG8, REF_SUP8 -> c.u64();
            case DATA16 -> skip(c, 16);
            case SDATA -> c.sleb();
            case UDATA, REF_UDATA, STRX, ADDRX, LOCLISTX, RNGLISTX, GNU_ADDR_INDEX, GNU_STR_INDEX -> c.uleb();
            case STRP, SEC_OFFSET, LINE_STRP, STRP_SUP, GNU_REF_ALT, GNU_STRP_ALT -> c.unsigned(u.offsetSize());
            case REF_ADDR -> c.unsigned(u.version() <= 2 ? u.addressSize() : u.offsetSize());
            case STRING -> {
                long at = c.pos();
                while (c.u8() != 0) {
                    // the string is read later, from this offset
                }
                yield at;
            }
            case FLAG_PRESENT -> 1;
            case IMPLICIT_CONST -> 0; // the value is in the abbreviation
            default -> throw c.fail(c.pos(), "a DWARF attribute form", "form 0x" + Integer.toHexString(form));
        };
    }

    private static long skip(Cursor c, long n) {
        c.skip(n);
        return n;
    }

    static boolean isUnitReference(int form) {
        return form == REF1 || form == REF2 || form == REF4 || form == REF8 || form == REF_UDATA;
    }

    static boolean isStrx(int form) {
        return form == STRX || (form >= STRX1 && form <= STRX4) || form == GNU_STR_INDEX;
    }

    static boolean isAddrx(int form) {
        return form == ADDRX || (form >= ADDRX1 && form <= ADDRX4) || form == GNU_ADDR_INDEX;
    }

    /** Forms whose value is a constant (DW_AT_high_pc as an offset from low_pc). */
    static boolean isConstant(int form) {
        return form == DATA1 || form == DATA2 || form == DATA4 || form == DATA8 || form == SDATA || form == UDATA
                || form == IMPLICIT_CONST;
    }
}
