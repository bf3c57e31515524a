package org.leakscope.minidump;

import java.util.List;
import java.util.Map;
import org.leakscope.model.Hex;

/** Names for exception codes, as Breakpad and WinDbg print them. */
final class ExceptionCodes {
    private ExceptionCodes() {
    }

    private static final Map<Long, String> WINDOWS = Map.ofEntries(
            Map.entry(0x80000001L, "EXCEPTION_GUARD_PAGE"),
            Map.entry(0x80000002L, "EXCEPTION_DATATYPE_MISALIGNMENT"),
            Map.entry(0x80000003L, "EXCEPTION_BREAKPOINT"),
            Map.entry(0x80000004L, "EXCEPTION_SINGLE_STEP"),
            Map.entry(0xc0000005L, "EXCEPTION_ACCESS_VIOLATION"),
            Map.entry(0xc0000006L, "EXCEPTION_IN_PAGE_ERROR"),
            Map.entry(0xc0000008L, "EXCEPTION_INVALID_HANDLE"),
            Map.entry(0xc000001dL, "EXCEPTION_ILLEGAL_INSTRUCTION"),
            Map.entry(0xc0000025L, "EXCEPTION_NONCONTINUABLE_EXCEPTION"),
            Map.entry(0xc0000026L, "EXCEPTION_INVALID_DISPOSITION"),
            Map.entry(0xc000008cL, "EXCEPTION_ARRAY_BOUNDS_EXCEEDED"),
            Map.entry(0xc000008dL, "EXCEPTION_FLT_DENORMAL_OPERAND"),
            Map.entry(0xc000008eL, "EXCEPTION_FLT_DIVIDE_BY_ZERO"),
            Map.entry(0xc000008fL, "EXCEPTION_FLT_INEXACT_RESULT"),
            Map.entry(0xc0000090L, "EXCEPTION_FLT_INVALID_OPERATION"),
            Map.entry(0xc0000091L, "EXCEPTION_FLT_OVERFLOW"),
            Map.entry(0xc0000092L, "EXCEPTION_FLT_STACK_CHECK"),
            Map.entry(0xc0000093L, "EXCEPTION_FLT_UNDERFLOW"),
            Map.entry(0xc0000094L, "EXCEPTION_INT_DIVIDE_BY_ZERO"),
            Map.entry(0xc0000095L, "EXCEPTION_INT_OVERFLOW"),
            Map.entry(0xc0000096L, "EXCEPTION_PRIV_INSTRUCTION"),
            Map.entry(0xc00000fdL, "EXCEPTION_STACK_OVERFLOW"),
            Map.entry(0xc0000194L, "EXCEPTION_POSSIBLE_DEADLOCK"),
            Map.entry(0xc0000374L, "STATUS_HEAP_CORRUPTION"),
            Map.entry(0xc0000409L, "STATUS_STACK_BUFFER_OVERRUN"),
            Map.entry(0xc0000417L, "STATUS_INVALID_CRUNTIME_PARAMETER"),
            Map.entry(0xc0000602L, "STATUS_FAIL_FAST_EXCEPTION"),
            Map.entry(0xe06d7363L, "CPP_EH_EXCEPTION"),
            Map.entry(0x406d1388L, "MS_VC_EXCEPTION_SET_THREAD_NAME"),
            Map.entry(0x40010006L, "DBG_PRINTEXCEPTION_C"),
            Map.entry(0xc0000017L, "STATUS_NO_MEMORY"),
            Map.entry(0x4000001fL, "STATUS_WX86_BREAKPOINT"));

    private static final Map<Long, String> SIGNALS = Map.ofEntries(
            Map.entry(1L, "SIGHUP"), Map.entry(2L, "SIGINT"), Map.entry(3L, "SIGQUIT"), Map.entry(4L, "SIGILL"),
            Map.entry(5L, "SIGTRAP"), Map.entry(6L, "SIGABRT"), Map.entry(7L, "SIGBUS"), Map.entry(8L, "SIGFPE"),
            Map.entry(9L, "SIGKILL"), Map.entry(11L, "SIGSEGV"), Map.entry(13L, "SIGPIPE"),
            Map.entry(14L, "SIGALRM"), Map.entry(15L, "SIGTERM"), Map.entry(31L, "SIGSYS"));

    /**
     * The name for a code on the given platform; access violations get the kind of access from the first
     * parameter (0 read, 1 write, 8 execute), as Breakpad does.
     */
    static String name(long code, boolean windows, List<Long> params) {
        if (!windows) {
            String s = SIGNALS.get(code);
            if (s != null) {
                return s;
            }
            // Breakpad's Linux writer records DUMP_REQUESTED as 0xffffffff.
            return code == 0xffffffffL ? "DUMP_REQUESTED" : "0x" + Hex.digits(code, 8, false);
        }
        String base = WINDOWS.get(code);
        if (base == null) {
            return "0x" + Hex.digits(code, 8, false);
        }
        if ((code == 0xc0000005L || code == 0xc0000006L) && !params.isEmpty()) {
            long access = params.get(0);
            String suffix = access == 0 ? "_READ" : access == 1 ? "_WRITE" : access == 8 ? "_EXEC" : "";
            return base + suffix;
        }
        return base;
    }

    static boolean isAccessViolation(long code, boolean windows) {
        return windows && (code == 0xc0000005L || code == 0xc0000006L);
    }
}
