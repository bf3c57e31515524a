package org.leakscope.demangle;

/** The readable form of a mangled C++ name, whichever compiler's scheme it uses. */
public final class Demangler {
    private Demangler() {
    }

    /**
     * The demangled name, or null when {@code name} is not a mangled C++ name, is malformed, or is over the caps.
     * Itanium names start with {@code _Z} (or {@code __Z}, the extra underscore of 32-bit mingw and Mach-O);
     * MSVC names with {@code ?}.
     */
    public static String demangle(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (name.startsWith("_Z") || name.startsWith("__Z")) {
            return ItaniumDemangler.demangle(name);
        }
        if (name.charAt(0) == '?') {
            return MsvcDemangler.demangle(name);
        }
        return null;
    }

    /**
     * An MSVC name as mozilla's dump_syms prints it (the Rust crate msvc-demangler with the flags symbolic gives
     * it): the short form's name and parameters, but {@code int*} and {@code char const&} (no space before
     * {@code *}, {@code &}), {@code > >} closing nested templates, {@code (void)} for an empty parameter list,
     * {@code int64_t}/{@code uint64_t} for {@code __int64}, and a member function's {@code const}. Null where
     * that crate fails (see {@link MsvcDemangler#demangleLikeMozilla}), or for a name that is not an MSVC name.
     */
    public static String demangleLikeMozilla(String name) {
        if (name == null || name.isEmpty() || name.charAt(0) != '?') {
            return null;
        }
        return MsvcDemangler.demangleLikeMozilla(name);
    }

    /** {@link #demangle} or, when that gives nothing, the name itself. */
    public static String readable(String name) {
        String d = demangle(name);
        return d == null ? name : d;
    }
}
