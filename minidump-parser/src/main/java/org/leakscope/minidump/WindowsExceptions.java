package org.leakscope.minidump;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.leakscope.model.Hex;

/**
 * Windows exception codes, NTSTATUS values, fast-fail codes and exception flags, by name. The exception names
 * are Breakpad's (so a crash reads the same in both tools); codes Breakpad leaves numeric, and those it names
 * with invented spellings (EXCEPTION_HEAP_CORRUPTION), get their NTSTATUS name from Microsoft's ntstatus.h.
 */
final class WindowsExceptions {
    private WindowsExceptions() {
    }

    static final long ACCESS_VIOLATION = 0xc0000005L;
    static final long IN_PAGE_ERROR = 0xc0000006L;
    static final long STACK_BUFFER_OVERRUN = 0xc0000409L;

    /** The exception codes Breakpad's minidump_stackwalk names, with its spelling. */
    private static final Map<Long, String> BREAKPAD = Map.ofEntries(
            Map.entry(0x40010005L, "DBG_CONTROL_C"),
            Map.entry(0x80000001L, "EXCEPTION_GUARD_PAGE"),
            Map.entry(0x80000002L, "EXCEPTION_DATATYPE_MISALIGNMENT"),
            Map.entry(0x80000003L, "EXCEPTION_BREAKPOINT"),
            Map.entry(0x80000004L, "EXCEPTION_SINGLE_STEP"),
            Map.entry(ACCESS_VIOLATION, "EXCEPTION_ACCESS_VIOLATION"),
            Map.entry(IN_PAGE_ERROR, "EXCEPTION_IN_PAGE_ERROR"),
            Map.entry(0xc0000008L, "EXCEPTION_INVALID_HANDLE"),
            Map.entry(0xc000001dL, "EXCEPTION_ILLEGAL_INSTRUCTION"),
            Map.entry(0xc0000025L, "EXCEPTION_NONCONTINUABLE_EXCEPTION"),
            Map.entry(0xc0000026L, "EXCEPTION_INVALID_DISPOSITION"),
            Map.entry(0xc000008cL, "EXCEPTION_BOUNDS_EXCEEDED"),
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
            Map.entry(0xc00000ffL, "EXCEPTION_BAD_FUNCTION_TABLE"),
            Map.entry(0xc0000194L, "EXCEPTION_POSSIBLE_DEADLOCK"),
            // Chromium's allocators raise this on out-of-memory (base/process/memory.h).
            Map.entry(0xe0000008L, "Out of Memory"),
            // Visual C++'s throw ('msc' | 0xE0000000): a C++ exception nobody caught.
            Map.entry(0xe06d7363L, "Unhandled C++ Exception"),
            // Crashpad's CrashpadClient::DumpWithoutCrash.
            Map.entry(0x0517a7edL, "Simulated Exception"));

    /** NTSTATUS values seen as crash codes (or as the cause of an in-page error), from ntstatus.h. */
    private static final Map<Long, String> NTSTATUS = Map.ofEntries(
            Map.entry(0x40000015L, "STATUS_FATAL_APP_EXIT"),
            Map.entry(0x4000001fL, "STATUS_WX86_BREAKPOINT"),
            Map.entry(0x40010006L, "DBG_PRINTEXCEPTION_C"),
            Map.entry(0x4001000aL, "DBG_PRINTEXCEPTION_WIDE_C"),
            Map.entry(0x406d1388L, "MS_VC_EXCEPTION_SET_THREAD_NAME"),
            Map.entry(0xc0000002L, "STATUS_NOT_IMPLEMENTED"),
            Map.entry(0xc000000dL, "STATUS_INVALID_PARAMETER"),
            Map.entry(0xc000000eL, "STATUS_NO_SUCH_DEVICE"),
            Map.entry(0xc0000017L, "STATUS_NO_MEMORY"),
            Map.entry(0xc0000018L, "STATUS_CONFLICTING_ADDRESSES"),
            Map.entry(0xc0000022L, "STATUS_ACCESS_DENIED"),
            Map.entry(0xc0000027L, "STATUS_UNWIND"),
            Map.entry(0xc0000028L, "STATUS_BAD_STACK"),
            Map.entry(0xc0000029L, "STATUS_INVALID_UNWIND_TARGET"),
            Map.entry(0xc0000032L, "STATUS_DISK_CORRUPT_ERROR"),
            Map.entry(0xc0000034L, "STATUS_OBJECT_NAME_NOT_FOUND"),
            Map.entry(0xc000004bL, "STATUS_THREAD_IS_TERMINATING"),
            Map.entry(0xc000007bL, "STATUS_INVALID_IMAGE_FORMAT"),
            Map.entry(0xc000009aL, "STATUS_INSUFFICIENT_RESOURCES"),
            Map.entry(0xc000009cL, "STATUS_DEVICE_DATA_ERROR"),
            Map.entry(0xc000009dL, "STATUS_DEVICE_NOT_CONNECTED"),
            Map.entry(0xc00000c4L, "STATUS_UNEXPECTED_NETWORK_ERROR"),
            Map.entry(0xc00000c9L, "STATUS_NETWORK_NAME_DELETED"),
            Map.entry(0xc0000102L, "STATUS_FILE_CORRUPT_ERROR"),
            Map.entry(0xc000012dL, "STATUS_COMMITMENT_LIMIT"),
            Map.entry(0xc0000135L, "STATUS_DLL_NOT_FOUND"),
            Map.entry(0xc0000138L, "STATUS_ORDINAL_NOT_FOUND"),
            Map.entry(0xc0000139L, "STATUS_ENTRYPOINT_NOT_FOUND"),
            Map.entry(0xc000013aL, "STATUS_CONTROL_C_EXIT"),
            Map.entry(0xc0000142L, "STATUS_DLL_INIT_FAILED"),
            Map.entry(0xc0000185L, "STATUS_IO_DEVICE_ERROR"),
            Map.entry(0xc0000235L, "STATUS_HANDLE_NOT_CLOSABLE"),
            Map.entry(0xc0000264L, "STATUS_RESOURCE_NOT_OWNED"),
            Map.entry(0xc00002b4L, "STATUS_FLOAT_MULTIPLE_FAULTS"),
            Map.entry(0xc00002b5L, "STATUS_FLOAT_MULTIPLE_TRAPS"),
            Map.entry(0xc0000373L, "STATUS_FAILED_STACK_SWITCH"),
            Map.entry(0xc0000374L, "STATUS_HEAP_CORRUPTION"),
            Map.entry(STACK_BUFFER_OVERRUN, "STATUS_STACK_BUFFER_OVERRUN"),
            Map.entry(0xc0000417L, "STATUS_INVALID_CRUNTIME_PARAMETER"),
            Map.entry(0xc0000420L, "STATUS_ASSERTION_FAILURE"),
            Map.entry(0xc0000423L, "STATUS_CALLBACK_POP_STACK"),
            Map.entry(0xc0000602L, "STATUS_FAIL_FAST_EXCEPTION"),
            Map.entry(0xc015000fL, "STATUS_SXS_EARLY_DEACTIVATION"),
            Map.entry(0xc0150010L, "STATUS_SXS_INVALID_DEACTIVATION"));

    /**
     * __fastfail codes (winnt.h FAST_FAIL_*), indexed by value; null marks the gaps (15-17). Code 0, the legacy
     * /GS violation, is left unnamed as Breakpad does.
     */
    private static final String[] FAST_FAIL = {null, "VTGUARD_CHECK_FAILURE", "STACK_COOKIE_CHECK_FAILURE",
        "CORRUPT_LIST_ENTRY", "INCORRECT_STACK", "INVALID_ARG", "GS_COOKIE_INIT", "FATAL_APP_EXIT",
        "RANGE_CHECK_FAILURE", "UNSAFE_REGISTRY_ACCESS", "GUARD_ICALL_CHECK_FAILURE", "GUARD_WRITE_CHECK_FAILURE",
        "INVALID_FIBER_SWITCH", "INVALID_SET_OF_CONTEXT", "INVALID_REFERENCE_COUNT", null, null, null,
        "INVALID_JUMP_BUFFER", "MRDATA_MODIFIED", "CERTIFICATION_FAILURE", "INVALID_EXCEPTION_CHAIN",
        "CRYPTO_LIBRARY", "INVALID_CALL_IN_DLL_CALLOUT", "INVALID_IMAGE_BASE", "DLOAD_PROTECTION_FAILURE",
        "UNSAFE_EXTENSION_CALL", "DEPRECATED_SERVICE_INVOKED", "INVALID_BUFFER_ACCESS", "INVALID_BALANCED_TREE",
        "INVALID_NEXT_THREAD", "GUARD_ICALL_CHECK_SUPPRESSED", "APCS_DISABLED", "INVALID_IDLE_STATE",
        "MRDATA_PROTECTION_FAILURE", "UNEXPECTED_HEAP_EXCEPTION", "INVALID_LOCK_STATE", "GUARD_JUMPTABLE",
        "INVALID_LONGJUMP_TARGET", "INVALID_DISPATCH_CONTEXT", "INVALID_THREAD", "INVALID_SYSCALL_NUMBER",
        "INVALID_FILE_OPERATION", "LPAC_ACCESS_DENIED", "GUARD_SS_FAILURE", "LOADER_CONTINUITY_FAILURE",
        "GUARD_EXPORT_SUPPRESSION_FAILURE", "INVALID_CONTROL_STACK", "SET_CONTEXT_DENIED", "INVALID_IAT",
        "HEAP_METADATA_CORRUPTION", "PAYLOAD_RESTRICTION_VIOLATION", "LOW_LABEL_ACCESS_DENIED",
        "ENCLAVE_CALL_FAILURE", "UNHANDLED_LSS_EXCEPTON", "ADMINLESS_ACCESS_DENIED", "UNEXPECTED_CALL",
        "CONTROL_INVALID_RETURN_ADDRESS", "UNEXPECTED_HOST_BEHAVIOR", "FLAGS_CORRUPTION", "VEH_CORRUPTION",
        "ETW_CORRUPTION", "RIO_ABORT", "INVALID_PFN", "GUARD_ICALL_CHECK_FAILURE_XFG", "CAST_GUARD",
        "HOST_VISIBILITY_CHANGE", "KERNEL_CET_SHADOW_STACK_ASSIST", "PATCH_CALLBACK_FAILED", "NTDLL_PATCH_FAILED",
        "INVALID_FLS_DATA", "ASAN_ERROR", "CLR_EXCEPTION_AOT", "POINTER_AUTH_INVALID_RETURN_ADDRESS",
        "INVALID_THREAD_STATE", "CORRUPT_WOW64_STATE", "INVALID_EXTENDED_STATE"};

    /** ExceptionFlags bits (winnt.h), by bit position. */
    private static final String[] FLAGS = {"EXCEPTION_NONCONTINUABLE", "EXCEPTION_UNWINDING",
        "EXCEPTION_EXIT_UNWIND", "EXCEPTION_STACK_INVALID", "EXCEPTION_NESTED_CALL", "EXCEPTION_TARGET_UNWIND",
        "EXCEPTION_COLLIDED_UNWIND"};

    /**
     * The crash reason: the code's name, refined by the parameters where Windows puts more in them (the kind
     * of access for access violations and in-page errors, the NTSTATUS behind an in-page error, the __fastfail
     * code behind a stack buffer overrun); the hex code when the code has no name.
     */
    static String name(long code, List<Long> params) {
        if (code == ACCESS_VIOLATION || code == IN_PAGE_ERROR) {
            String name = BREAKPAD.get(code) + (params.isEmpty() ? "" : accessKind(params.get(0)));
            if (code == IN_PAGE_ERROR && params.size() >= 3) {
                long status = params.get(2) & 0xffffffffL;
                name += " / " + NTSTATUS.getOrDefault(status, ExceptionCodes.hex8(status));
            }
            return name;
        }
        if (code == STACK_BUFFER_OVERRUN && !params.isEmpty() && params.get(0) != 0) {
            long fastFail = params.get(0);
            String sub = fastFail > 0 && fastFail < FAST_FAIL.length && FAST_FAIL[(int) fastFail] != null
                    ? "FAST_FAIL_" + FAST_FAIL[(int) fastFail] : ExceptionCodes.hex8(fastFail);
            return NTSTATUS.get(code) + " / " + sub;
        }
        String name = BREAKPAD.get(code);
        if (name == null) {
            name = NTSTATUS.get(code);
        }
        return name != null ? name : ExceptionCodes.hex8(code);
    }

    /** Parameter 0 of an access violation: 0 read, 1 write, 8 data execution prevention. */
    private static String accessKind(long p) {
        return p == 0 ? "_READ" : p == 1 ? "_WRITE" : p == 8 ? "_EXEC" : "";
    }

    /** EXCEPTION_NONCONTINUABLE and friends; bits without a name as hex. */
    static List<String> flagNames(long flags) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((flags & (1L << bit)) != 0) {
                out.add(bit < FLAGS.length ? FLAGS[bit] : Hex.of(1L << bit));
            }
        }
        return List.copyOf(out);
    }
}
