package org.leakscope.html;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * HTML and inline SVG built as text, with every value escaped where it is put: element and attribute names are
 * the renderer's constants (checked, and never an event handler), attribute values and text always go through
 * {@link Escape#html}. Nothing taken from an input can reach the page any other way.
 */
final class Markup {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]*");
    private final StringBuilder b = new StringBuilder(1 << 14);

    /** {@code <tag a="v" ...>}; attributes come as name, value pairs (a null value leaves the attribute out). */
    Markup open(String tag, String... attrs) {
        b.append('<').append(name(tag));
        attributes(attrs);
        b.append('>');
        return this;
    }

    /** An element without content: {@code <line ... />} in SVG, {@code <input ...>} in HTML. */
    Markup empty(String tag, String... attrs) {
        b.append('<').append(name(tag));
        attributes(attrs);
        b.append(tag.equals("input") || tag.equals("meta") || tag.equals("br") ? ">" : "/>");
        return this;
    }

    Markup close(String tag) {
        b.append("</").append(name(tag)).append('>');
        return this;
    }

    /** An element holding only text. */
    Markup el(String tag, String text, String... attrs) {
        return open(tag, attrs).text(text).close(tag);
    }

    /** Text, escaped. */
    Markup text(String s) {
        b.append(Escape.html(s));
        return this;
    }

    /** Another builder's markup (already escaped as it was built). */
    Markup add(Markup m) {
        b.append(m.b);
        return this;
    }

    Markup newline() {
        b.append('\n');
        return this;
    }

    int length() {
        return b.length();
    }

    @Override
    public String toString() {
        return b.toString();
    }

    private void attributes(String[] attrs) {
        if (attrs.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        for (int i = 0; i < attrs.length; i += 2) {
            if (attrs[i + 1] == null) {
                continue;
            }
            String n = name(attrs[i]);
            if (n.toLowerCase(Locale.ROOT).startsWith("on") || n.equalsIgnoreCase("style")) {
                // handlers and style attributes are what the page's policy forbids; the script adds listeners
                throw new IllegalArgumentException("attribute " + n + " is not allowed");
            }
            b.append(' ').append(n).append("=\"").append(Escape.html(attrs[i + 1])).append('"');
        }
    }

    private static String name(String n) {
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("not an element or attribute name: " + n);
        }
        return n;
    }

    /** A coordinate or size for SVG: at most one decimal, no exponent, '.' whatever the locale. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "0";
        }
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10)
                : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }
}
