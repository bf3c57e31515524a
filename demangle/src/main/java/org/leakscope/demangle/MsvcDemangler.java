package org.leakscope.demangle;

/** Scaffold for issue 13: the real demangler replaces this class. Demangles nothing yet. */
final class MsvcDemangler {
    private MsvcDemangler() {
    }

    static String demangle(String name) {
        return null;
    }
}
