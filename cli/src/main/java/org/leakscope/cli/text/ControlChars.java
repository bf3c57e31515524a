package org.leakscope.cli.text;

/**
 * The characters that must never reach a terminal raw when they come from an input, and their visible
 * spelling. A process name {@code ev\x1b]0;pwned\x07il.exe} in a DebugView log would otherwise retitle the
 * terminal, {@code \x1b[2J} in a heap tag clear it, and a right-to-left override make a name read backwards.
 *
 * <p>Hidden: C0 controls except tab and newline (a carriage return is allowed only before a newline, by the
 * output filter), DEL, the C1 controls U+0080..U+009F (U+009B is a CSI to some terminals), and the bidi
 * controls U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069. Text output shows them as {@code \x1b}
 * (up to U+00FF) or {@code \\u202e}; JSON as {@code \\u001B}-style escapes. A backslash is not escaped, so
 * Windows paths stay readable: the escapes are for safety, not a reversible encoding.
 */
public final class ControlChars {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ControlChars() {
    }

    /** Whether this code point is shown escaped (tab and newline are not). */
    public static boolean isHidden(int cp) {
        if (cp < 0x20) {
            return cp != '\t' && cp != '\n';
        }
        return cp >= 0x7f && cp <= 0x9f || cp == 0x061c || cp == 0x200e || cp == 0x200f
                || cp >= 0x202a && cp <= 0x202e || cp >= 0x2066 && cp <= 0x2069;
    }

    /** {@code \x1b} for code points up to U+00FF, else {@code \\u202e}. */
    public static String escape(int cp) {
        StringBuilder sb = new StringBuilder(6).append('\\');
        if (cp <= 0xff) {
            sb.append('x').append(HEX[cp >> 4 & 0xf]).append(HEX[cp & 0xf]);
        } else {
            sb.append('u');
            for (int shift = 12; shift >= 0; shift -= 4) {
                sb.append(HEX[cp >> shift & 0xf]);
            }
        }
        return sb.toString();
    }

    /** The text with every hidden character (a carriage return included) escaped. */
    public static String visible(CharSequence s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isHidden(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(escape(c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s.toString() : sb.toString();
    }
}
