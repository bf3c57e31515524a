package org.leakscope.umdh;

import org.leakscope.demangle.Demangler;
import org.leakscope.model.Frame;

/**
 * One stack line as UMDH prints it, after the leading TAB:
 * <ul>
 * <li>{@code 776CDD82} — a raw return address (snapshot logs; resolved at compare time);
 * <li>{@code ntdll!RtlAllocateHeap+00000274}, {@code ntdll!RtlWalkHeap+213}, {@code MyApp!operator new+0x0000000E}
 * — module!function+offset, offset in hex with or without 0x, names may contain blanks and '+';
 * <li>{@code MSVCR80!malloc+7A (f:\dd\...\malloc.c, 163)} — the same with a {@code (file, line)} suffix;
 * <li>{@code MyApp+1A2B} — module+offset when there were no symbols.
 * </ul>
 * Symbolic frames carry address 0: the log does not say where the module was loaded.
 */
final class FrameText {
    private FrameText() {
    }

    /** True when the text is a bare hex address (1..16 digits, optional 0x, optional WinDbg backtick). */
    static boolean isAddress(String t) {
        String s = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
        s = s.replace("`", "");
        if (s.isEmpty() || s.length() > 16) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The frame for a symbolic line, or null when it has none of the shapes above. */
    static Frame parseSymbolic(String text) {
        String t = text.strip();
        String file = null;
        Integer line = null;
        if (t.endsWith(")")) {
            int open = t.lastIndexOf(" (");
            int comma = t.lastIndexOf(", ");
            if (open > 0 && comma > open) {
                String num = t.substring(comma + 2, t.length() - 1).strip();
                try {
                    line = Integer.parseInt(num);
                    file = t.substring(open + 2, comma);
                    t = t.substring(0, open).strip();
                } catch (NumberFormatException e) {
                    // not a (file, line) suffix: a C++ signature with parentheses; keep the text whole
                }
            }
        }
        int bang = t.indexOf('!');
        if (bang <= 0) {
            // module+offset
            int plus = t.lastIndexOf('+');
            if (plus <= 0 || !isAddress(t.substring(plus + 1)) || t.indexOf(' ') >= 0) {
                return null;
            }
            return new Frame(0, t.substring(0, plus), parseHex(t.substring(plus + 1)), null, null, file, line);
        }
        String module = t.substring(0, bang);
        if (module.indexOf(' ') >= 0) {
            return null;
        }
        String rest = t.substring(bang + 1);
        Long offset = null;
        int plus = rest.lastIndexOf('+');
        if (plus > 0 && isAddress(rest.substring(plus + 1))) {
            offset = parseHex(rest.substring(plus + 1));
            rest = rest.substring(0, plus);
        }
        if (rest.isEmpty()) {
            return null;
        }
        // dbghelp undecorates MSVC names; a mingw-built module's symbols come through mangled (_ZN7Session4openEv)
        String readable = Demangler.demangle(rest);
        return new Frame(0, module, null, readable == null ? rest : readable, offset == null ? 0L : offset, file, line,
                readable == null ? null : rest);
    }

    static long parseHex(String s) {
        return org.leakscope.model.Hex.parse(s);
    }
}
