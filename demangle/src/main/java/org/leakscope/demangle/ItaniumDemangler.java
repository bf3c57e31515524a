package org.leakscope.demangle;

/** Scaffold for issue 13: the real demangler replaces this class. Demangles nothing yet. */
final class ItaniumDemangler {
    private ItaniumDemangler() {
    }

    static String demangle(String name) {
        return null;
    }
}
