package org.leakscope.diff;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;

/**
 * One line that names a crash the same way in every dump of the same bug, in the spirit of Mozilla's Socorro: the
 * crashing thread's first frames that are not noise, {@code module!function} joined by {@code " | "}, at most
 * {@value #MAX_FRAMES}. Noise is what every crash of a kind passes through: abort, assert, raise and throw helpers,
 * signal trampolines, the allocator and runtime frames {@link AllocatorFolding} knows (a heap corruption caught in
 * {@code free}), and frames outside every module. Functions lose their parameter lists (a PDB's public symbol and
 * its FUNC record spell them differently) and frames without a symbol are {@code module+0xOFFSET}: nothing depends
 * on where the modules were loaded, so the signature is stable across ASLR and machines.
 */
public final class CrashSignature {
    public static final int MAX_FRAMES = 5;

    /** Functions a crash passes through on its way to the kernel; globs as in {@link AllocatorFolding}. */
    public static final List<String> NOISE_FUNCTIONS = List.of(
            // POSIX and glibc: abort, raise, assert, fortify and stack protector, signal return
            "abort", "__GI_abort", "raise", "__GI_raise", "__pthread_kill*", "pthread_kill", "__GI___pthread_kill",
            "gsignal", "__assert_fail*", "__assert_perror_fail", "__assert", "__assert_rtn", "__libc_message*",
            "__libc_fatal", "__fortify_fail*", "__chk_fail", "__stack_chk_fail", "malloc_printerr", "__restore_rt",
            "_sigtramp", "__kernel_rt_sigreturn", "__kernel_vsyscall", "tgkill", "__GI___libc_abort",
            // Windows: exceptions, fail-fast, CRT asserts and abort
            "RaiseException", "RtlRaiseException", "KiUserExceptionDispatcher", "ZwRaiseException", "NtRaiseException",
            "RtlRaiseStatus", "RaiseFailFastException", "__fastfail", "_CxxThrowException", "_wassert", "_assert",
            "_invalid_parameter*", "_invoke_watson", "__report_gsfailure", "__report_rangecheckfailure",
            "_CrtDbgReport*", "_VCrtDbgReport*", "__crt_debugger_hook", "raise_exception", "_call_reportfault",
            "NtTerminateProcess", "ZwTerminateProcess", "TerminateProcess", "RtlExitUserProcess",
            "RtlReportCriticalFailure", "RtlReportFatalFailure", "RtlpReportHeapFailure",
            // frees (the allocator list has the allocations): a corrupt heap is caught in them, named at the caller
            "free", "cfree", "__libc_free", "__GI___libc_free", "_int_free*", "_free_base", "_free_dbg", "_free_crt",
            "_aligned_free*", "HeapFree", "LocalFree", "GlobalFree",
            // C++ runtimes: throw and terminate
            "__cxa_throw", "__cxa_rethrow", "_Unwind_RaiseException", "_Unwind_Resume", "std::terminate",
            "std::__terminate", "__cxxabiv1::__terminate*", "__cxxabiv1::__unexpected*", "__cxa_pure_virtual",
            "__cxa_call_terminate", "__gnu_cxx::__verbose_terminate_handler", "_purecall", "abort_message",
            "std::__throw_*", "std::__glibcxx_assert_fail*", "std::__replacement_assert");

    private final AllocatorFolding noise;

    private CrashSignature(AllocatorFolding noise) {
        this.noise = noise;
    }

    /** The noise list above plus the allocator and runtime functions {@link AllocatorFolding} knows. */
    public static CrashSignature defaults() {
        return new CrashSignature(new AllocatorFolding(NOISE_FUNCTIONS, List.of())
                .plus(AllocatorFolding.DEFAULT_FUNCTIONS));
    }

    /** The signature of a stack (innermost frame first); empty when every frame is noise. */
    public String of(List<Frame> frames) {
        List<String> parts = new ArrayList<>(MAX_FRAMES);
        for (Frame f : frames) {
            if (parts.size() == MAX_FRAMES) {
                break;
            }
            if (!isNoise(f)) {
                parts.add(name(f));
            }
        }
        return String.join(" | ", parts);
    }

    /** Whether a frame is left out of signatures: outside every module, or a known helper. */
    public boolean isNoise(Frame f) {
        return f.module() == null || f.function() != null && noise.isAllocator(f);
    }

    /** {@code module!function} without the parameter list, or {@code module+0xOFFSET} without a symbol. */
    static String name(Frame f) {
        if (f.function() == null) {
            return f.module() + "+" + Hex.of(f.moduleOffset() == null ? 0 : f.moduleOffset());
        }
        return f.module() + "!" + AllocatorFolding.matchName(f.function());
    }
}
