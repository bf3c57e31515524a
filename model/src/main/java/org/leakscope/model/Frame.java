package org.leakscope.model;

/**
 * One return address of a backtrace, resolved as far as the available data allows.
 *
 * @param address        absolute address (unsigned)
 * @param module         module file name ({@code ntdll.dll}, {@code libc.so.6}), or null when unknown
 * @param moduleOffset   offset from the module base, or null when the module is unknown
 * @param function       function name, or null without symbols
 * @param functionOffset offset from the function start, or null without symbols
 * @param sourceFile     source file, or null
 * @param sourceLine     1-based source line, or null
 */
public record Frame(long address, String module, Long moduleOffset, String function, Long functionOffset,
        String sourceFile, Integer sourceLine) {

    public static Frame unresolved(long address) {
        return new Frame(address, null, null, null, null, null, null);
    }

    public Frame withModule(String name, long offset) {
        return new Frame(address, name, offset, function, functionOffset, sourceFile, sourceLine);
    }

    public Frame withSymbol(String name, long offset, String file, Integer line) {
        return new Frame(address, module, moduleOffset, name, offset, file, line);
    }

    /**
     * WinDbg-style text: {@code test_app.exe!main+0x5}, {@code test_app.exe+0x1a3e}, or the raw address.
     */
    public String describe() {
        if (module == null) {
            return Hex.of(address);
        }
        if (function == null) {
            return module + "+" + Hex.of(moduleOffset);
        }
        String s = module + "!" + function;
        return functionOffset != null && functionOffset != 0 ? s + "+" + Hex.of(functionOffset) : s;
    }

    /** {@link #describe()} plus {@code [file:line]} when known. */
    public String describeWithSource() {
        return sourceFile == null ? describe() : describe() + " [" + sourceFile + " : " + sourceLine + "]";
    }
}
