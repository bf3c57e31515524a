package org.leakscope.html;

/**
 * Text from an input (a process name, a module path, a log line) made safe for the place it lands in a page.
 * The characters that could end the context are replaced; controls that a terminal or a bidi-aware renderer
 * would act on are shown as {@code \x1b} or {@code \u202e}, the spelling the text output uses, so a name that
 * tried to hide something reads the same in every format.
 */
public final class Escape {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Escape() {
    }

    /**
     * For HTML (and SVG) text and for a quoted attribute value: {@code & < > " '} as character references,
     * hidden controls made visible. Also right inside {@code <svg>}, which the HTML parser reads the same way.
     */
    public static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> hidden(c) ? visible(c) : null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * A JSON string literal (quotes included) that can stand inside a {@code <script>} element: besides JSON's
     * own escapes, {@code <}, {@code >} and {@code &} become {@code \u003c}-style escapes so neither
     * {@code </script>} nor {@code <!--} can occur, and U+2028/U+2029 are escaped (line ends to older
     * JavaScript parsers); hidden controls are escaped like every other control.
     */
    public static String jsonInScript(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029 || hidden(c)) {
                        b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Whether a character is shown escaped: C0 controls but tab and newline, DEL, C1 controls, and the bidi
     * controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), as in the text output.
     */
    static boolean hidden(char c) {
        if (c < 0x20) {
            return c != '\t' && c != '\n';
        }
        return c >= 0x7f && c <= 0x9f || c == 0x061c || c == 0x200e || c == 0x200f || c >= 0x202a && c <= 0x202e
                || c >= 0x2066 && c <= 0x2069;
    }

    /** {@code \x1b} up to U+00FF, else {@code \u202e}. */
    private static String visible(char c) {
        StringBuilder sb = new StringBuilder(6).append('\\');
        if (c <= 0xff) {
            sb.append('x').append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
        } else {
            sb.append('u').append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                    .append(HEX[c & 0xf]);
        }
        return sb.toString();
    }
}
