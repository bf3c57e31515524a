package org.leakscope.model;

import java.util.List;

/**
 * One return address of a backtrace, resolved as far as the available data allows.
 *
 * @param address        absolute address (unsigned)
 * @param module         module file name ({@code ntdll.dll}, {@code libc.so.6}), or null when unknown
 * @param moduleOffset   offset from the module base, or null when the module is unknown
 * @param function       function name as people read it (demangled when the symbol was a mangled C++ name),
 *                       or null without symbols
 * @param functionOffset offset from the function start, or null without symbols
 * @param sourceFile     source file, or null
 * @param sourceLine     1-based source line, or null
 * @param mangled        the symbol as the file spells it ({@code _Znwm}) when {@code function} is its demangled
 *                       form, else null (the name was not mangled, or no symbol)
 * @param inlined        functions inlined at this address, innermost first ({@link InlinedCall}); empty, never
 *                       null, when there are none or the debug data does not say
 */
public record Frame(long address, String module, Long moduleOffset, String function, Long functionOffset,
        String sourceFile, Integer sourceLine, String mangled, List<InlinedCall> inlined) {

    public Frame {
        inlined = inlined == null ? List.of() : List.copyOf(inlined);
    }

    /** A frame without inlined calls. */
    public Frame(long address, String module, Long moduleOffset, String function, Long functionOffset,
            String sourceFile, Integer sourceLine, String mangled) {
        this(address, module, moduleOffset, function, functionOffset, sourceFile, sourceLine, mangled, List.of());
    }

    /** A frame whose name, if any, is not mangled. */
    public Frame(long address, String module, Long moduleOffset, String function, Long functionOffset,
            String sourceFile, Integer sourceLine) {
        this(address, module, moduleOffset, function, functionOffset, sourceFile, sourceLine, null);
    }

    public static Frame unresolved(long address) {
        return new Frame(address, null, null, null, null, null, null, null);
    }

    public Frame withModule(String name, long offset) {
        return new Frame(address, name, offset, function, functionOffset, sourceFile, sourceLine, mangled, inlined);
    }

    /** The symbol {@code name}, not mangled (a C name, or one a symbol file stores demangled). */
    public Frame withSymbol(String name, long offset, String file, Integer line) {
        return new Frame(address, module, moduleOffset, name, offset, file, line, null);
    }

    /** The symbol with its readable name and, when that was demangled, the name as the file spells it. */
    public Frame withSymbol(String readable, String mangledName, long offset, String file, Integer line) {
        return new Frame(address, module, moduleOffset, readable, offset, file, line, mangledName);
    }

    /** The same frame with these inlined calls (innermost first) at its address. */
    public Frame withInlined(List<InlinedCall> calls) {
        return new Frame(address, module, moduleOffset, function, functionOffset, sourceFile, sourceLine, mangled,
                calls);
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
