package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crash reasons as Breakpad's minidump_stackwalk words them, for each platform's way of filling the Exception
 * stream, from dumps written by {@link SyntheticDumpBuilder}. The first rows of each platform are the facts of
 * real dumps: Breakpad's linux_inline.dmp (SIGILL / ILL_ILLOPN), tiny-exe-fastfail.dmp, rust-minidump's
 * pipeline-inlines-macos-segv.dmp and invalid-parameter.dmp.
 */
class ExceptionNamesTest {
    @TempDir
    Path dir;

    private static final long WINDOWS = 2;
    private static final long LINUX = 0x8201;
    private static final long MACOS = 0x8101;

    @ParameterizedTest(name = "{0} arch {1}: code {2} flags {3} params [{4}] is {5}")
    @CsvSource(delimiter = ';', value = {
        // Linux: the signal in ExceptionCode, si_code in ExceptionFlags.
        "0x8201; 9; 4; 2; ; SIGILL / ILL_ILLOPN",
        "0x8201; 9; 11; 1; ; SIGSEGV / SEGV_MAPERR",
        "0x8201; 9; 11; 2; ; SIGSEGV / SEGV_ACCERR",
        "0x8201; 9; 11; 0; ; SIGSEGV / 0x00000000",
        "0x8201; 9; 7; 2; ; SIGBUS / BUS_ADRERR",
        "0x8201; 9; 8; 1; ; SIGFPE / FPE_INTDIV",
        "0x8201; 9; 5; 1; ; SIGTRAP / TRAP_BRKPT",
        "0x8201; 9; 31; 1; ; SIGSYS / SYS_SECCOMP",
        "0x8201; 9; 11; 0xfffffffa; ; SIGSEGV / 0xfffffffa",
        "0x8201; 9; 6; 0xfffffffa; ; SIGABRT",
        "0x8203; 12; 11; 1; ; SIGSEGV / SEGV_MAPERR",
        "0x8201; 9; 0xffffffff; 0; ; DUMP_REQUESTED",
        "0x8201; 9; 64; 3; ; 0x00000040 / 0x00000003",
        // macOS: the Mach exception in ExceptionCode, its first code in ExceptionFlags, named per CPU.
        "0x8101; 9; 1; 1; 1,0xffffffff80000042; EXC_BAD_ACCESS / KERN_INVALID_ADDRESS",
        "0x8101; 9; 1; 2; ; EXC_BAD_ACCESS / KERN_PROTECTION_FAILURE",
        "0x8101; 9; 1; 13; ; EXC_BAD_ACCESS / EXC_I386_GPFLT",
        "0x8101; 12; 1; 0x101; ; EXC_BAD_ACCESS / EXC_ARM_DA_ALIGN",
        "0x8101; 9; 2; 1; ; EXC_BAD_INSTRUCTION / EXC_I386_INVOP",
        "0x8101; 12; 2; 1; ; EXC_BAD_INSTRUCTION / EXC_ARM_UNDEFINED",
        "0x8101; 9; 3; 1; ; EXC_ARITHMETIC / EXC_I386_DIV",
        "0x8101; 9; 5; 0x10002; ; EXC_SOFTWARE / SIGABRT",
        "0x8101; 9; 6; 2; ; EXC_BREAKPOINT / EXC_I386_BPT",
        "0x8101; 12; 6; 1; ; EXC_BREAKPOINT / EXC_ARM_BREAKPOINT",
        "0x8101; 9; 10; 0x5; ; EXC_CRASH / 0x00000005",
        "0x8101; 9; 11; 0x60000000; ; EXC_RESOURCE / 0x60000000",
        "0x8101; 9; 12; 0x40000000; ; EXC_GUARD / 0x40000000",
        "0x8102; 12; 0x43507378; 0; ; Simulated Exception",
        "0x8102; 9; 0x43506e78; 0; ; Uncaught NSException",
        "0x8101; 9; 0; 0; ; 0x00000000 / 0x00000000",
        // Windows: an NTSTATUS, refined by ExceptionInformation where Windows puts more there.
        "2; 9; 0xc0000409; 1; 7; STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_FATAL_APP_EXIT",
        "2; 9; 0xc0000409; 1; 2; STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_STACK_COOKIE_CHECK_FAILURE",
        "2; 9; 0xc0000409; 1; 70; STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_INVALID_FLS_DATA",
        "2; 9; 0xc0000409; 1; 16; STATUS_STACK_BUFFER_OVERRUN / 0x00000010",
        "2; 9; 0xc0000409; 1; ; STATUS_STACK_BUFFER_OVERRUN",
        "2; 9; 0xc000000d; 0; ; STATUS_INVALID_PARAMETER",
        "2; 9; 0xc0000374; 1; ; STATUS_HEAP_CORRUPTION",
        "2; 9; 0xc0000264; 0; ; STATUS_RESOURCE_NOT_OWNED",
        "2; 9; 0x40000015; 0; ; STATUS_FATAL_APP_EXIT",
        "2; 9; 0xc0000417; 0; ; STATUS_INVALID_CRUNTIME_PARAMETER",
        "2; 9; 0xe06d7363; 1; 0x19930520,0,0; Unhandled C++ Exception",
        "2; 9; 0xc00000fd; 0; 0,0x1a3000; EXCEPTION_STACK_OVERFLOW",
        "2; 9; 0x80000003; 0; 0; EXCEPTION_BREAKPOINT",
        "2; 0; 0xc0000005; 0; 8,0x3df944; EXCEPTION_ACCESS_VIOLATION_EXEC",
        "2; 9; 0xc0000006; 0; 0,0x10000,0xc000009c; EXCEPTION_IN_PAGE_ERROR_READ / STATUS_DEVICE_DATA_ERROR",
        "2; 9; 0xc0001234; 0; ; 0xc0001234",
    })
    void reasons(String platform, int arch, String code, String flags, String params, String expected) throws Exception {
        Path p = dir.resolve("e.dmp");
        long[] ps = params == null ? new long[0]
                : Arrays.stream(params.split(",")).mapToLong(ExceptionNamesTest::number).toArray();
        new SyntheticDumpBuilder().systemInfo(arch, number(platform), "")
                .exceptionWithFlags(1, number(code), number(flags), 0x1000, ps).write(p);
        try (Minidump d = Minidump.open(p)) {
            assertEquals(expected, d.exception().orElseThrow().name());
        }
    }

    @Test
    void windowsFlagsAreNamed() throws Exception {
        assertEquals(List.of("EXCEPTION_NONCONTINUABLE"), flagNames(WINDOWS, 1));
        assertEquals(List.of("EXCEPTION_NONCONTINUABLE", "EXCEPTION_UNWINDING", "EXCEPTION_NESTED_CALL"),
                flagNames(WINDOWS, 0x13));
        assertEquals(List.of("EXCEPTION_NONCONTINUABLE", "0x100"), flagNames(WINDOWS, 0x101));
        assertEquals(List.of(), flagNames(WINDOWS, 0));
        // Elsewhere ExceptionFlags holds the sub-code, already part of the name.
        assertEquals(List.of(), flagNames(LINUX, 1));
        assertEquals(List.of(), flagNames(MACOS, 1));
    }

    private List<String> flagNames(long platform, long flags) throws Exception {
        Path p = dir.resolve("f.dmp");
        new SyntheticDumpBuilder().systemInfo(9, platform, "").exceptionWithFlags(1, 0xc0000409L, flags, 0x1000, 7)
                .write(p);
        try (Minidump d = Minidump.open(p)) {
            ExceptionInfo e = d.exception().orElseThrow();
            assertEquals(flags, e.flags());
            return e.flagNames();
        }
    }

    private static long number(String s) {
        String t = s.trim();
        return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    }
}
