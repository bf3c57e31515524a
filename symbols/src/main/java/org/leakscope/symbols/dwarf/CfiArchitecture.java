package org.leakscope.symbols.dwarf;

import java.util.List;

/**
 * DWARF register numbering of the CPUs the stack walker unwinds, with the names Breakpad's {@code STACK CFI}
 * records give the registers (DwarfCFIToModule's tables: the x86-64 psABI order, the i386 SysV order, AArch64's
 * AADWARF64).
 */
public enum CfiArchitecture {
    X86_64(List.of("$rax", "$rdx", "$rcx", "$rbx", "$rsi", "$rdi", "$rbp", "$rsp", "$r8", "$r9", "$r10", "$r11",
            "$r12", "$r13", "$r14", "$r15", "$rip", "$xmm0", "$xmm1", "$xmm2", "$xmm3", "$xmm4", "$xmm5", "$xmm6",
            "$xmm7", "$xmm8", "$xmm9", "$xmm10", "$xmm11", "$xmm12", "$xmm13", "$xmm14", "$xmm15", "$st0", "$st1",
            "$st2", "$st3", "$st4", "$st5", "$st6", "$st7", "$mm0", "$mm1", "$mm2", "$mm3", "$mm4", "$mm5", "$mm6",
            "$mm7", "$rflags", "$es", "$cs", "$ss", "$ds", "$fs", "$gs", "$unused1", "$unused2", "$fs.base",
            "$gs.base", "$unused3", "$unused4", "$tr", "$ldtr", "$mxcsr", "$fcw", "$fsw"), 7, 8),
    X86(List.of("$eax", "$ecx", "$edx", "$ebx", "$esp", "$ebp", "$esi", "$edi", "$eip", "$eflags", "$unused1",
            "$st0", "$st1", "$st2", "$st3", "$st4", "$st5", "$st6", "$st7", "$unused2", "$unused3", "$xmm0", "$xmm1",
            "$xmm2", "$xmm3", "$xmm4", "$xmm5", "$xmm6", "$xmm7", "$mm0", "$mm1", "$mm2", "$mm3", "$mm4", "$mm5",
            "$mm6", "$mm7", "$fcw", "$fsw", "$mxcsr", "$es", "$cs", "$ss", "$ds", "$fs", "$gs", "$unused4",
            "$unused5", "$tr", "$ldtr"), 4, 4),
    ARM64(arm64Names(), 31, 8);

    private final List<String> names;
    private final int stackPointer;
    private final int addressSize;

    CfiArchitecture(List<String> names, int stackPointer, int addressSize) {
        this.names = names;
        this.stackPointer = stackPointer;
        this.addressSize = addressSize;
    }

    /** The architecture of an ELF {@code e_machine}, or null for another CPU. */
    public static CfiArchitecture ofElf(int machine) {
        return switch (machine) {
            case 62 -> X86_64;
            case 3 -> X86;
            case 183 -> ARM64;
            default -> null;
        };
    }

    /** The architecture of a PE {@code Machine}, or null for another CPU. */
    public static CfiArchitecture ofPe(int machine) {
        return switch (machine) {
            case 0x8664 -> X86_64;
            case 0x14c -> X86;
            case 0xaa64 -> ARM64;
            default -> null;
        };
    }

    /** Breakpad's name of DWARF register {@code number} ({@code unnamed_register40} where it has none). */
    public String name(int number) {
        if (number >= 0 && number < names.size() && !names.get(number).isEmpty()) {
            return names.get(number);
        }
        return "unnamed_register" + Integer.toUnsignedString(number);
    }

    /** The DWARF number of the stack pointer ($rsp 7, $esp 4, sp 31). */
    public int stackPointer() {
        return stackPointer;
    }

    /** Pointer size in bytes. */
    public int addressSize() {
        return addressSize;
    }

    private static List<String> arm64Names() {
        String[] n = new String[96];
        for (int i = 0; i < 31; i++) {
            n[i] = "x" + i;
        }
        n[31] = "sp";
        for (int i = 32; i < 64; i++) {
            n[i] = ""; // no names in Breakpad's table (32 is the pc in newer AADWARF64, 46 RA_SIGN_STATE)
        }
        for (int i = 0; i < 32; i++) {
            n[64 + i] = "v" + i;
        }
        return List.of(n);
    }
}
