package org.leakscope.minidump;

import java.util.Map;

/**
 * macOS and iOS Mach exceptions as Breakpad and Crashpad record them: the exception type (EXC_BAD_ACCESS...)
 * in ExceptionCode, its first code in ExceptionFlags. What that code means depends on the exception and, for
 * most, on the CPU (xnu's osfmk/mach/{i386,arm,ppc}/exception.h); it is named as Breakpad's
 * minidump_stackwalk names it, and shown in hex where Breakpad has no name for it.
 */
final class MachExceptions {
    private MachExceptions() {
    }

    private enum Cpu { X86, ARM, PPC, OTHER }

    private static final String[] EXCEPTIONS = {null, "EXC_BAD_ACCESS", "EXC_BAD_INSTRUCTION", "EXC_ARITHMETIC",
        "EXC_EMULATION", "EXC_SOFTWARE", "EXC_BREAKPOINT", "EXC_SYSCALL", "EXC_MACH_SYSCALL", "EXC_RPC_ALERT",
        "EXC_CRASH", "EXC_RESOURCE", "EXC_GUARD", "EXC_CORPSE_NOTIFY"};

    /** Crashpad's SimulateCrash ('CPsx') and its uncaught-NSException report ('CPnx'). */
    private static final long SIMULATED = 0x43507378L;
    private static final long NS_EXCEPTION = 0x43506e78L;

    /** EXC_BAD_ACCESS codes that are kern_return_t values, the same on every CPU. */
    private static final Map<Long, String> KERN = Map.of(1L, "KERN_INVALID_ADDRESS", 2L, "KERN_PROTECTION_FAILURE",
            8L, "KERN_NO_ACCESS", 9L, "KERN_MEMORY_FAILURE", 10L, "KERN_MEMORY_ERROR", 50L, "KERN_CODESIGN_ERROR");

    private static final Map<Long, String> SOFTWARE = Map.of(0x00010002L, "SIGABRT", 0xdeadc0deL,
            "UNCAUGHT_NS_EXCEPTION", 0x00000001L, "EXC_PPC_TRAP", 0x00010100L, "EXC_PPC_MIGRATE");

    /** Per exception, per CPU: code → name. */
    private static final Map<Integer, Map<Cpu, Map<Long, String>>> BY_CPU = Map.of(
            1, Map.of(
                    Cpu.ARM, Map.of(0x101L, "EXC_ARM_DA_ALIGN", 0x102L, "EXC_ARM_DA_DEBUG"),
                    Cpu.PPC, Map.of(0x101L, "EXC_PPC_VM_PROT_READ", 0x102L, "EXC_PPC_BADSPACE",
                            0x103L, "EXC_PPC_UNALIGNED"),
                    Cpu.X86, Map.of(13L, "EXC_I386_GPFLT")),
            2, Map.of(
                    Cpu.ARM, Map.of(1L, "EXC_ARM_UNDEFINED"),
                    Cpu.PPC, Map.of(1L, "EXC_PPC_INVALID_SYSCALL", 2L, "EXC_PPC_UNIPL_INST", 3L, "EXC_PPC_PRIVINST",
                            4L, "EXC_PPC_PRIVREG", 5L, "EXC_PPC_TRACE", 6L, "EXC_PPC_PERFMON"),
                    Cpu.X86, Map.of(1L, "EXC_I386_INVOP", 10L, "EXC_I386_INVTSSFLT", 11L, "EXC_I386_SEGNPFLT",
                            12L, "EXC_I386_STKFLT", 13L, "EXC_I386_GPFLT", 17L, "EXC_I386_ALIGNFLT")),
            3, Map.of(
                    Cpu.PPC, Map.of(1L, "EXC_PPC_OVERFLOW", 2L, "EXC_PPC_ZERO_DIVIDE", 3L, "EXC_FLT_INEXACT",
                            4L, "EXC_PPC_FLT_ZERO_DIVIDE", 5L, "EXC_PPC_FLT_UNDERFLOW", 6L, "EXC_PPC_FLT_OVERFLOW",
                            7L, "EXC_PPC_FLT_NOT_A_NUMBER", 8L, "EXC_PPC_NOEMULATION", 9L, "EXC_PPC_ALTIVECASSIST"),
                    Cpu.X86, Map.of(1L, "EXC_I386_DIV", 2L, "EXC_I386_INTO", 3L, "EXC_I386_NOEXT",
                            4L, "EXC_I386_EXTOVR", 5L, "EXC_I386_EXTERR", 6L, "EXC_I386_EMERR", 7L, "EXC_I386_BOUND",
                            8L, "EXC_I386_SSEEXTERR")),
            6, Map.of(
                    Cpu.ARM, Map.of(0x101L, "EXC_ARM_DA_ALIGN", 0x102L, "EXC_ARM_DA_DEBUG", 1L, "EXC_ARM_BREAKPOINT"),
                    Cpu.PPC, Map.of(1L, "EXC_PPC_BREAKPOINT"),
                    Cpu.X86, Map.of(1L, "EXC_I386_SGL", 2L, "EXC_I386_BPT")));

    /**
     * {@code EXC_BAD_ACCESS / KERN_INVALID_ADDRESS}, {@code EXC_BAD_INSTRUCTION / EXC_I386_INVOP}; the code in
     * hex where it has no name ({@code EXC_GUARD / 0x...}); Breakpad's numeric form for an unknown exception.
     */
    static String name(long code, long flags, int architecture) {
        if (code == SIMULATED) {
            return "Simulated Exception";
        }
        if (code == NS_EXCEPTION) {
            return "Uncaught NSException";
        }
        if (code <= 0 || code >= EXCEPTIONS.length) {
            return ExceptionCodes.raw(code, flags);
        }
        String sub = code == 1 ? KERN.get(flags) : code == 5 ? SOFTWARE.get(flags) : null;
        Map<Cpu, Map<Long, String>> perCpu = BY_CPU.get((int) code);
        if (sub == null && perCpu != null) {
            sub = perCpu.getOrDefault(cpu(architecture), Map.of()).get(flags);
        }
        return EXCEPTIONS[(int) code] + " / " + (sub != null ? sub : ExceptionCodes.hex8(flags));
    }

    /** SystemInfo's processor architecture: x86 0 and amd64 9, arm 5 and arm64 12 (0x8003 before Windows had one), ppc 3. */
    private static Cpu cpu(int architecture) {
        return switch (architecture) {
            case 0, 9 -> Cpu.X86;
            case 5, 12, 0x8003 -> Cpu.ARM;
            case 3 -> Cpu.PPC;
            default -> Cpu.OTHER;
        };
    }
}
