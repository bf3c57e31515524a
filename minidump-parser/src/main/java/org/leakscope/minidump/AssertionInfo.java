package org.leakscope.minidump;

/**
 * Breakpad's record of a failed assertion or invalid-parameter call that triggered the dump (Breakpad's Windows
 * client writes it from its _set_invalid_parameter_handler and _set_purecall_handler hooks).
 *
 * @param expression the failed expression ({@code format != nullptr}); empty when the CRT gave none
 * @param function   the function that detected it ({@code common_vfprintf})
 * @param file       its source file, as the CRT was built
 * @param line       its line; 0 when unknown
 * @param type       0 unknown, 1 invalid parameter, 2 pure virtual call
 */
public record AssertionInfo(String expression, String function, String file, long line, long type) {

    /** Breakpad's words for the type: "Invalid parameter passed to library function"... */
    public String description() {
        return type == 1 ? "Invalid parameter passed to library function"
                : type == 2 ? "Pure virtual function called"
                : "Unknown assertion type " + ExceptionCodes.hex8(type);
    }

    /**
     * True for an all-zero record: Breakpad's out-of-process Windows client sends its assertion record with
     * every dump, filled only when an assertion triggered it, so an empty one says nothing (electron 1.4 dumps).
     */
    public boolean isEmpty() {
        return type == 0 && line == 0 && blank(expression) && blank(function) && blank(file);
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
