package org.leakscope.minidump;

import java.util.Map;

/**
 * Linux (and Android) signals as Breakpad and Crashpad record them: the signal number in ExceptionCode, the
 * siginfo's si_code in ExceptionFlags. The si_code names are the kernel's (include/uapi/asm-generic/siginfo.h).
 */
final class LinuxSignals {
    private LinuxSignals() {
    }

    private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ",
        "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    /** si_code names per signal, indexed by si_code; signals not listed here have no sub-code in the reason. */
    private static final Map<Integer, String[]> CODES = Map.of(
            4, new String[] {null, "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG",
                "ILL_COPROC", "ILL_BADSTK"},
            5, new String[] {null, "TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK"},
            7, new String[] {null, "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"},
            8, new String[] {null, "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES",
                "FPE_FLTINV", "FPE_FLTSUB"},
            11, new String[] {null, "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR", "SEGV_ACCADI",
                "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR"},
            31, new String[] {null, "SYS_SECCOMP", "SYS_USER_DISPATCH"});

    /** Breakpad's Linux writer records a dump taken on request (no signal) as this code. */
    private static final long DUMP_REQUESTED = 0xffffffffL;

    /**
     * {@code SIGSEGV / SEGV_MAPERR}; the si_code in hex when it has no name ({@code SIGSEGV / 0x00000000}: sent
     * with kill(), or written by a writer that did not record it); the bare signal for signals without
     * sub-codes; Breakpad's numeric form for numbers that are no signal.
     */
    static String name(long code, long flags) {
        if (code == DUMP_REQUESTED) {
            return "DUMP_REQUESTED";
        }
        if (code <= 0 || code >= SIGNALS.length) {
            return ExceptionCodes.raw(code, flags);
        }
        String[] codes = CODES.get((int) code);
        if (codes == null) {
            return SIGNALS[(int) code];
        }
        String sub = flags > 0 && flags < codes.length ? codes[(int) flags] : ExceptionCodes.hex8(flags);
        return SIGNALS[(int) code] + " / " + sub;
    }
}
