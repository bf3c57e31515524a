package org.leakscope.minidump;

import java.util.List;
import org.leakscope.model.Hex;

/**
 * The crash reason of an Exception stream, as Breakpad's minidump_stackwalk words it: what ExceptionCode and
 * ExceptionFlags mean depends on the platform that wrote the dump (an NTSTATUS and flags on Windows, a signal and
 * its si_code on Linux, a Mach exception and its code on macOS).
 */
final class ExceptionCodes {
    private ExceptionCodes() {
    }

    /**
     * The reason for a code on the platform of {@code system} (Windows when the dump has no SystemInfo, as
     * dbghelp's dumps always have one and others rarely lack it).
     */
    static String name(long code, long flags, List<Long> params, SystemInfo system) {
        if (system == null || system.isWindows()) {
            return WindowsExceptions.name(code, params);
        }
        return switch ((int) system.platformId()) {
            case 0x8201, 0x8203 -> LinuxSignals.name(code, flags);
            case 0x8101, 0x8102 -> MachExceptions.name(code, flags, system.architectureCode());
            default -> raw(code, flags);
        };
    }

    /** Named ExceptionFlags bits: Windows only (elsewhere the field holds the sub-code). */
    static List<String> flagNames(long flags, SystemInfo system) {
        return system == null || system.isWindows() ? WindowsExceptions.flagNames(flags) : List.of();
    }

    /** Windows access violations and in-page errors put the data address in parameter 1. */
    static boolean hasDataAddress(long code, SystemInfo system) {
        return (system == null || system.isWindows())
                && (code == WindowsExceptions.ACCESS_VIOLATION || code == WindowsExceptions.IN_PAGE_ERROR);
    }

    /** Breakpad's wording for a code it cannot name: {@code 0x0000000a / 0x00000000}. */
    static String raw(long code, long flags) {
        return hex8(code) + " / " + hex8(flags);
    }

    /** {@code 0x0000001f}: a 32-bit code, as Breakpad prints one. */
    static String hex8(long value) {
        return "0x" + Hex.digits(value & 0xffffffffL, 8, false);
    }
}
