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

    /** {@link #demangle} or, when that gives nothing, the name itself. */
    public static String readable(String name) {
        String d = demangle(name);
        return d == null ? name : d;
    }
}
