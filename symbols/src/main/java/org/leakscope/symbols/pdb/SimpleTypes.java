package org.leakscope.symbols.pdb;

/**
 * Type indices below 0x1000: built-in types encoded in the index itself (cvinfo.h, "Primitive types"): the low
 * byte is the type ({@code T_INT4} 0x74 = int), bits 8-10 the pointer mode (0 the value itself, anything else a
 * pointer to it: near, far, huge, 32-bit, 64-bit). Names are spelled as DIA and MSVC's undecorator spell them.
 */
final class SimpleTypes {
    private SimpleTypes() {
    }

    /** {@code int}, {@code unsigned __int64 *}; null for a kind cvinfo.h does not define. */
    static String name(long index) {
        String base = base((int) (index & 0xFF));
        if (base == null) {
            return null;
        }
        int mode = (int) (index >> 8) & 0x7;
        return mode == 0 ? base : base + " *";
    }

    /** The size in bytes of a value (not pointer) simple type; -1 when it has none (void) or is unknown. */
    static long size(int index) {
        switch (index & 0xFF) {
            case 0x10: case 0x20: case 0x70: case 0x7c: case 0x68: case 0x69: case 0x30:
                return 1;
            case 0x71: case 0x7a: case 0x11: case 0x21: case 0x72: case 0x73: case 0x46: case 0x31:
                return 2;
            case 0x7b: case 0x12: case 0x22: case 0x74: case 0x75: case 0x40: case 0x08: case 0x32:
                return 4;
            case 0x13: case 0x23: case 0x76: case 0x77: case 0x41: case 0x33:
                return 8;
            case 0x42:
                return 10;
            case 0x14: case 0x24: case 0x78: case 0x79: case 0x43: case 0x34:
                return 16;
            default:
                return -1;
        }
    }

    private static String base(int kind) {
        switch (kind) {
            case 0x00: return ""; // T_NOTYPE: what DIA prints for a missing type
            case 0x03: return "void";
            case 0x08: return "HRESULT";
            case 0x10: return "signed char"; // T_CHAR
            case 0x20: return "unsigned char";
            case 0x70: return "char"; // T_RCHAR, "really a char"
            case 0x71: return "wchar_t";
            case 0x7a: return "char16_t";
            case 0x7b: return "char32_t";
            case 0x7c: return "char8_t";
            case 0x68: return "__int8";
            case 0x69: return "unsigned __int8";
            case 0x11: case 0x72: return "short";
            case 0x21: case 0x73: return "unsigned short";
            case 0x12: return "long";
            case 0x22: return "unsigned long";
            case 0x74: return "int";
            case 0x75: return "unsigned int";
            case 0x13: case 0x76: return "__int64";
            case 0x23: case 0x77: return "unsigned __int64";
            case 0x14: case 0x78: return "__int128";
            case 0x24: case 0x79: return "unsigned __int128";
            case 0x46: return "_Float16";
            case 0x40: return "float";
            case 0x41: return "double";
            case 0x42: return "long double";
            case 0x43: return "__float128";
            case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: return "bool";
            default: return null;
        }
    }
}
