package org.leakscope.demangle;

/**
 * Itanium C++ ABI names ({@code _ZN7Session4openEv}), as GNU c++filt prints them ({@code Session::open()}).
 * Names come from inputs, so the work is bounded: recursion depth and node height are capped at
 * {@link #MAX_DEPTH}, the mangled name at {@link #MAX_INPUT} characters, the printed name at {@link #MAX_OUTPUT}
 * characters and the nodes printing visits at {@link #MAX_WORK}. Over a cap, or malformed, the name is not
 * demangled (null), never demangled in part.
 */
final class ItaniumDemangler {
    /** Nesting of the grammar (and height of the parsed tree); libiberty allows 2,048, real names need < 100. */
    static final int MAX_DEPTH = 256;
    /** Longest mangled name looked at; the longest in libstdc++ is a few hundred characters. */
    static final int MAX_INPUT = 16_384;
    /** Longest demangled name produced; substitutions can expand exponentially, this stops them. */
    static final int MAX_OUTPUT = 65_536;
    /** Nodes visited while printing; nodes that print nothing (empty packs) cannot run up the output cap. */
    static final long MAX_WORK = 1_000_000;

    private ItaniumDemangler() {
    }

    static String demangle(String name) {
        try {
            return demangleOrThrow(name);
        } catch (ItaniumParser.Malformed | StackOverflowError e) {
            return null;
        } catch (RuntimeException e) {
            // a bug of ours must not cost the user the report: the name stays as it is (tests call the other one)
            return null;
        }
    }

    /** {@link #demangle}, but a malformed name or one over the caps throws {@link ItaniumParser.Malformed}. */
    static String demangleOrThrow(String name) {
        if (name == null || name.length() > MAX_INPUT) {
            return null;
        }
        // 32-bit mingw and Mach-O prefix every symbol with one more underscore
        int start = name.startsWith("__Z") ? 1 : 0;
        if (!name.startsWith("_Z", start)) {
            return null;
        }
        ItaniumNode tree = ItaniumParser.parse(name, start);
        ItaniumOutput out = new ItaniumOutput(MAX_OUTPUT, MAX_WORK);
        tree.print(out);
        return out.toString();
    }
}
