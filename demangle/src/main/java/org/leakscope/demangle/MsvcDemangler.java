package org.leakscope.demangle;

/**
 * MSVC decorated names ({@code ?Insert@LeakyCache@@QEAAXAEBVKey@@$$QEAVValue@@@Z}), in two forms:
 * <ul>
 * <li>{@link #demangleFull}: llvm-undname's text, character for character
 *     ({@code public: void __cdecl LeakyCache::Insert(class Key const &, class Value &&)});</li>
 * <li>{@link #demangle}, what {@link Demangler} returns: the name and its parameters only
 *     ({@code LeakyCache::Insert(Key const &, Value &&)}), without access, {@code static}/{@code virtual},
 *     return type, calling conventions, {@code class}/{@code struct}/{@code union}/{@code enum} keywords, a
 *     variable's type, or {@code void} in an empty parameter list. That is the form dump_syms writes into the
 *     FUNC lines of .sym files (through DIA), and the form of c++filt's Itanium names, so one function reads
 *     the same whichever file or compiler named it.</li>
 * </ul>
 * Both are bounded: a name longer than {@link #MAX_MANGLED_LENGTH}, nested deeper than {@link #MAX_DEPTH} or
 * printing longer than {@link #MAX_OUTPUT_LENGTH} gives null, never an exception.
 */
final class MsvcDemangler {
    /**
     * MSVC itself hashes names longer than 4,096 characters into {@code ??@<md5>@}; twice that leaves room for
     * other compilers and still keeps every scan of a hostile name short.
     */
    static final int MAX_MANGLED_LENGTH = 8192;
    /** Nesting of types, templates and local scopes; real names stay far below. */
    static final int MAX_DEPTH = 96;
    /** Demangled text; back-references let a short name print a very long one. */
    static final int MAX_OUTPUT_LENGTH = 32768;
    /** All text rendered while parsing (template names kept for back-references, local scopes). */
    static final int MAX_RENDERED_LENGTH = 262144;

    private static final int SHORT = MsvcOutput.NO_ACCESS | MsvcOutput.NO_CALLING_CONVENTION
            | MsvcOutput.NO_RETURN_TYPE | MsvcOutput.NO_MEMBER_TYPE | MsvcOutput.NO_VARIABLE_TYPE
            | MsvcOutput.NO_TAG | MsvcOutput.NO_VOID_PARAMETER;

    private static final int MOZILLA = (SHORT & ~MsvcOutput.NO_VOID_PARAMETER) | MsvcOutput.MOZILLA_SPELLING;

    /** Thrown inside the demangler for a malformed name or a cap reached; never escapes it. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Refused INSTANCE = new Refused();

        private Refused() {
            super("not a demanglable MSVC name", null, false, false);
        }
    }

    private MsvcDemangler() {
    }

    /** The short form (see the class comment), or null. */
    static String demangle(String mangled) {
        return demangle(mangled, SHORT);
    }

    /** mozilla dump_syms' form (see {@link Demangler#demangleLikeMozilla}), or null. */
    static String demangleLikeMozilla(String mangled) {
        return demangle(mangled, MOZILLA);
    }

    /** llvm-undname's form, or null where llvm-undname says "Invalid mangled name" or a cap is reached. */
    static String demangleFull(String mangled) {
        return demangle(mangled, 0);
    }

    private static String demangle(String mangled, int flags) {
        if (mangled == null || mangled.isEmpty() || mangled.length() > MAX_MANGLED_LENGTH) {
            return null;
        }
        try {
            MsvcParser parser = new MsvcParser(mangled);
            MsvcNodes.Symbol symbol = parser.parseAll();
            if ((flags & MsvcOutput.MOZILLA_SPELLING) != 0 && parser.qualifiedFunctionPointer) {
                return null; // what msvc-demangler-rs cannot read
            }
            MsvcOutput out = new MsvcOutput(MAX_OUTPUT_LENGTH);
            symbol.output(out, flags);
            return out.toString();
        } catch (RuntimeException e) {
            // Refused: malformed or over a cap. Anything else would be a bug of ours on a strange name, which
            // must not stop a report either: the caller then shows the name as it is.
            return null;
        }
    }
}
