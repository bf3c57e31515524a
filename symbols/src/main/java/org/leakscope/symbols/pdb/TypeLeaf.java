package org.leakscope.symbols.pdb;

/**
 * CodeView leaf kinds of the type records a function name needs (Microsoft's names, cvinfo.h {@code LEAF_ENUM_e})
 * and the numeric leaves that spell a size or count inside a record.
 */
final class TypeLeaf {
    static final int LF_MODIFIER = 0x1001;
    static final int LF_POINTER = 0x1002;
    static final int LF_PROCEDURE = 0x1008;
    static final int LF_MFUNCTION = 0x1009;
    static final int LF_ARGLIST = 0x1201;
    static final int LF_ARRAY = 0x1503;
    static final int LF_CLASS = 0x1504;
    static final int LF_STRUCTURE = 0x1505;
    static final int LF_UNION = 0x1506;
    static final int LF_ENUM = 0x1507;
    static final int LF_INTERFACE = 0x1519;
    static final int LF_FUNC_ID = 0x1601;
    static final int LF_MFUNC_ID = 0x1602;
    static final int LF_STRING_ID = 0x1605;

    /** Values below this are the number itself; at and above it a leaf kind says what follows. */
    static final int LF_NUMERIC = 0x8000;
    static final int LF_VARSTRING = 0x8010;
    static final int LF_UTF8STRING = 0x801b;

    private TypeLeaf() {
    }

    /**
     * Reads a numeric leaf (cvinfo.h {@code LF_CHAR} ... {@code LF_REAL16}) and returns its value when it is an
     * integer that fits a long (else 0: sizes of that kind do not occur in names). Leaves of unknown kind are an
     * error: their length is unknown, so nothing after them can be read.
     */
    static long numeric(MsfStream.Cursor c) {
        long at = c.position();
        int leaf = c.u16();
        if (leaf < LF_NUMERIC) {
            return leaf;
        }
        switch (leaf) {
            case 0x8000: // LF_CHAR
                return (byte) c.u8();
            case 0x8001: // LF_SHORT
                return (short) c.u16();
            case 0x8002: // LF_USHORT
                return c.u16();
            case 0x8003: // LF_LONG
                return c.i32();
            case 0x8004: // LF_ULONG
                return c.u32();
            case 0x8009: // LF_QUADWORD
            case 0x800a: // LF_UQUADWORD
                return c.u32() | c.u32() << 32;
            default:
                int skip = numericSkip(leaf);
                if (skip < 0) {
                    throw c.stream().error(at, "a numeric leaf (0x8000 to 0x801c)", "0x" + Integer.toHexString(leaf));
                }
                if (leaf == LF_VARSTRING) {
                    skip = c.u16();
                }
                if (leaf == LF_UTF8STRING) {
                    c.cstring(65536);
                    return 0;
                }
                c.skip(skip);
                return 0;
        }
    }

    /** Bytes after the kind of a non-integer numeric leaf; -1 for kinds cvinfo.h does not define. */
    private static int numericSkip(int leaf) {
        switch (leaf) {
            case 0x8005: // LF_REAL32
                return 4;
            case 0x8006: // LF_REAL64
            case 0x800c: // LF_COMPLEX32
            case 0x801a: // LF_DATE
                return 8;
            case 0x8007: // LF_REAL80
                return 10;
            case 0x8008: // LF_REAL128
            case 0x800d: // LF_COMPLEX64
            case 0x8017: // LF_OCTWORD
            case 0x8018: // LF_UOCTWORD
            case 0x8019: // LF_DECIMAL
                return 16;
            case 0x800b: // LF_REAL48
                return 6;
            case 0x800e: // LF_COMPLEX80
                return 20;
            case 0x800f: // LF_COMPLEX128
                return 32;
            case 0x801c: // LF_REAL16
                return 2;
            case LF_VARSTRING:
            case LF_UTF8STRING:
                return 0;
            default:
                return -1;
        }
    }
}
