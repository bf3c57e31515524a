package org.leakscope.stackwalk;

import java.util.function.LongPredicate;

/**
 * Whether the bytes right before a return address end an x86 or x86-64 call instruction: the test that a
 * candidate load address puts a logged return address where a call returns to. The forms compilers emit:
 * {@code E8 rel32} (direct; its target must be code of the image) and {@code FF /2} with every ModRM form:
 * a register ({@code FF D0}), {@code [reg]}, {@code [reg+disp8]}, {@code [reg+disp32]}, each also with a SIB
 * byte, {@code [disp32]} with a SIB byte, and {@code [rip+disp32]} (x86-64; absolute {@code [disp32]} in x86),
 * whose slot, an import address table entry or a function pointer, must lie inside the image. A REX prefix
 * ({@code 41 FF D3}, call r11) changes neither the length nor the position of {@code FF /2}, so it needs no
 * case of its own. Bytes decoded backwards can match by chance; the base search asks many return addresses.
 * In stackwalk so that both the stack scan and analysis's base search use it (analysis depends on stackwalk).
 */
public final class CallInstructions {
    private static final int E8_LENGTH = 5;
    /** The longest FF /2 form: FF, ModRM, SIB, disp32. */
    public static final int MAX_LENGTH = 7;

    private CallInstructions() {
    }

    /**
     * The form of the call that ends right before {@code rva} ({@code "E8 rel32"}, {@code "FF /2 [rip+disp32]"},
     * ...), or null when none does.
     *
     * @param before        the bytes before {@code rva} (up to {@value #MAX_LENGTH}; fewer at a section's start)
     * @param imageSize     SizeOfImage: a call's target or slot lies below it
     * @param preferredBase ImageBase: x86's absolute {@code [disp32]} slots are addresses at that base
     * @param is64          x86-64 (RIP-relative) or x86 (absolute) reading of ModRM 00/101
     * @param code          whether an RVA is in a code section (a direct call's target must be)
     */
    public static String form(byte[] before, long rva, long imageSize, long preferredBase, boolean is64, LongPredicate code) {
        int n = before.length;
        if (n >= E8_LENGTH && u8(before, n - E8_LENGTH) == 0xE8) {
            long target = rva + le32(before, n - 4);
            if (target >= 0 && target < imageSize && code.test(target)) {
                return "E8 rel32";
            }
        }
        for (int len = 2; len <= MAX_LENGTH && len <= n; len++) {
            int at = n - len;
            if (u8(before, at) != 0xFF) {
                continue;
            }
            int modrm = u8(before, at + 1);
            if (((modrm >> 3) & 7) != 2) {
                continue;
            }
            int sib = len > 2 ? u8(before, at + 2) : -1;
            if (length(modrm, sib) != len) {
                continue;
            }
            int mod = modrm >> 6;
            int rm = modrm & 7;
            if (mod == 0 && rm == 5) {
                long disp = le32(before, n - 4);
                long slot = is64 ? rva + disp : (disp & 0xFFFF_FFFFL) - preferredBase;
                if (slot < 0 || slot >= imageSize) {
                    continue;
                }
                return is64 ? "FF /2 [rip+disp32]" : "FF /2 [disp32]";
            }
            return "FF /2 " + (mod == 3 ? "reg" : rm == 4 ? "[sib" + disp(mod, sib) + "]" : "[reg" + disp(mod, -1) + "]");
        }
        return null;
    }

    /** The instruction's length from FF on, by its ModRM (and SIB) byte; -1 when a SIB byte is needed but absent. */
    public static int length(int modrm, int sib) {
        int mod = modrm >> 6;
        int rm = modrm & 7;
        if (mod == 3) {
            return 2;
        }
        if (rm == 4) {
            if (sib < 0) {
                return -1;
            }
            return mod == 0 ? ((sib & 7) == 5 ? 7 : 3) : mod == 1 ? 4 : 7;
        }
        return mod == 0 ? (rm == 5 ? 6 : 2) : mod == 1 ? 3 : 6;
    }

    /**
     * The arm64 call that ends right before a return address, from the 4 little-endian bytes before it
     * ({@code "BL"}, {@code "BLR"}, {@code "BLRAA"}, {@code "BLRAAZ"}, {@code "BLRAB"}, {@code "BLRABZ"}), or null:
     * every arm64 instruction is 4 bytes, so only the one word before can be the call. Branches without link
     * (B, BR, RET) return nowhere and are not calls.
     */
    public static String arm64Form(byte[] before) {
        int n = before.length;
        if (n < 4) {
            return null;
        }
        int insn = (int) le32(before, n - 4);
        if ((insn & 0xFC00_0000) == 0x9400_0000) {
            return "BL";
        }
        return switch (insn & 0xFFFF_FC1F) {
            case 0xD63F_0000 -> "BLR";
            case 0xD63F_081F -> "BLRAAZ";
            case 0xD63F_0C1F -> "BLRABZ";
            default -> switch (insn & 0xFFFF_FC00) {
                case 0xD73F_0800 -> "BLRAA";
                case 0xD73F_0C00 -> "BLRAB";
                default -> null;
            };
        };
    }

    private static String disp(int mod, int sib) {
        return mod == 1 ? "+disp8" : mod == 2 || (mod == 0 && sib >= 0 && (sib & 7) == 5) ? "+disp32" : "";
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    /** A signed little-endian 32-bit value (rel32 and disp32 are signed). */
    private static long le32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (long) (b[i + 3] << 24);
    }
}
