package org.leakscope.symbols.dwarf;

/**
 * A unit header of {@code .debug_info} (DWARF 2 to 5, 32- or 64-bit DWARF): where the unit and its first DIE
 * are, and the sizes its forms are read with.
 *
 * @param offset       the header's offset in {@code .debug_info}
 * @param end          the offset just past the unit
 * @param version      2 to 5
 * @param unitType     DW_UT_* (1 compile for DWARF 2 to 4)
 * @param offsetSize   4, or 8 in 64-bit DWARF
 * @param addressSize  the target's address size
 * @param abbrevOffset the unit's abbreviation table in {@code .debug_abbrev}
 * @param dieOffset    the unit's first DIE
 */
record UnitHeader(long offset, long end, int version, int unitType, int offsetSize, int addressSize,
        long abbrevOffset, long dieOffset) {
    static final int DW_UT_COMPILE = 1;
    static final int DW_UT_TYPE = 2;
    static final int DW_UT_PARTIAL = 3;
    static final int DW_UT_SKELETON = 4;
    static final int DW_UT_SPLIT_COMPILE = 5;
    static final int DW_UT_SPLIT_TYPE = 6;

    /** The header at {@code offset} of {@code .debug_info}. */
    static UnitHeader read(Section info, long offset) {
        Cursor c = info.at(offset);
        long length = c.u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            length = c.u64();
            offsetSize = 8;
        } else if (length >= 0xfffffff0L) {
            throw c.fail(offset, "a unit length (or 0xffffffff for 64-bit DWARF)", "0x" + Long.toHexString(length));
        }
        long start = c.pos();
        c.limit(length, "a unit of " + length + " bytes");
        int version = c.u16();
        if (version < 2 || version > 5) {
            throw c.fail(start, "DWARF version 2 to 5", "version " + version);
        }
        int unitType = DW_UT_COMPILE;
        int addressSize;
        long abbrev;
        if (version >= 5) {
            unitType = c.u8();
            addressSize = c.u8();
            abbrev = c.unsigned(offsetSize);
            switch (unitType) {
                case DW_UT_SKELETON, DW_UT_SPLIT_COMPILE -> c.skip(8);
                case DW_UT_TYPE, DW_UT_SPLIT_TYPE -> c.skip(8 + offsetSize);
                default -> {
                }
            }
        } else {
            abbrev = c.unsigned(offsetSize);
            addressSize = c.u8();
        }
        if (addressSize != 2 && addressSize != 4 && addressSize != 8) {
            throw c.fail(start, "an address size of 2, 4 or 8", String.valueOf(addressSize));
        }
        return new UnitHeader(offset, start + length, version, unitType, offsetSize, addressSize, abbrev, c.pos());
    }
}
