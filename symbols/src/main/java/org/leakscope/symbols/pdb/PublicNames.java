package org.leakscope.symbols.pdb;

import org.leakscope.demangle.Demangler;

/**
 * A public symbol's name and stack parameter size as dump_syms prints them. C++ names ({@code ?...}) are
 * demangled to the name with its parameter types. 32-bit C names carry their calling convention in the
 * decoration: {@code _f} (cdecl), {@code _f@12} (stdcall: 12 bytes of parameters on the stack), {@code @f@12}
 * (fastcall: the first 8 of those bytes travel in ECX and EDX); the decoration is removed and the stack bytes
 * become the parameter size. 64-bit names have no decoration.
 */
final class PublicNames {
    private static final int FASTCALL_REGISTER_BYTES = 8;

    private PublicNames() {
    }

    /** The printed name. */
    static String name(String decorated, boolean x86) {
        if (decorated.startsWith("?")) {
            return Demangler.readable(decorated);
        }
        if (!x86) {
            return decorated;
        }
        String s = decorated;
        boolean fastcall = s.startsWith("@");
        if (fastcall || s.startsWith("_")) {
            s = s.substring(1);
        }
        int at = s.lastIndexOf('@');
        if (at > 0 && digits(s, at + 1)) {
            s = s.substring(0, at);
        }
        return s;
    }

    /** The parameter bytes a 32-bit stdcall or fastcall decoration says are on the stack; else 0. */
    static long parameterSize(String decorated, boolean x86) {
        if (!x86 || decorated.startsWith("?")) {
            return 0;
        }
        int at = decorated.lastIndexOf('@');
        if (at <= 0 || !digits(decorated, at + 1) || decorated.length() - at > 8) {
            return 0;
        }
        long n = Long.parseLong(decorated.substring(at + 1));
        return decorated.startsWith("@") ? Math.max(0, n - FASTCALL_REGISTER_BYTES) : n;
    }

    private static boolean digits(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
