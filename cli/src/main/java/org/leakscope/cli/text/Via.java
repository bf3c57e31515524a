package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.diff.Attribution;
import org.leakscope.model.Frame;

/**
 * The frames folded above a leak's attribution frame, for people: {@code via operator new(unsigned long)} (the
 * innermost folded frame with a name; without names, the outermost: the allocator the program called), or the whole
 * chain, outermost first, when it fits
 * ({@code via std::vector<int>::push_back(int&&) > operator new(unsigned long)}). docs/attribution.md.
 */
public final class Via {
    /** Room an innermost name keeps however narrow the column: cut further it says nothing. */
    private static final int MIN_NAME = 24;
    private static final String CHAIN = " > ";
    private static final java.util.regex.Pattern UNNAMED = java.util.regex.Pattern.compile("\\S+\\+0x[0-9a-f]+");

    /** Room a via part keeps in a narrow table cell. */
    private static final int MIN_VIA = 20;
    /** Room the site keeps beside its via part; narrower, the site alone is shown. */
    private static final int MIN_SITE = 10;

    private Via() {
    }

    /** {@code via ...} within {@code room} columns where it can be, or "" when nothing was folded. */
    public static String text(Attribution a, int room) {
        if (a == null || a.folded().isEmpty()) {
            return "";
        }
        List<String> chain = new ArrayList<>();
        for (int i = a.folded().size() - 1; i >= 0; i--) {
            chain.add(name(a.folded().get(i)));
        }
        String all = "via " + String.join(CHAIN, chain);
        if (Fit.columns(all) <= room) {
            return all;
        }
        // none named: the outermost, the allocator the program called (MSVCR90+0xc5b2, not ntdll's heap inside it)
        Frame inner = a.folded().get(a.folded().size() - 1);
        for (Frame f : a.folded()) {
            if (f.function() != null) {
                inner = f;
                break;
            }
        }
        return "via " + Fit.frame(name(inner), Math.max(room - 4, MIN_NAME));
    }

    /** {@code site via ...} within {@code room} columns: the via part first gets what the site leaves. */
    public static String withSite(String site, Attribution a, int room) {
        String via = text(a, room - Fit.columns(site) - 1);
        return via.isEmpty() ? site : site + " " + via;
    }

    /**
     * A {@code site via ...} cell in {@code max} columns, for {@link Table#shrinkable}: each part shortened as a
     * frame ({@link Fit#frame}: arguments first), the via part keeping room for a short name
     * ({@code operator new(…)}), the site the rest.
     */
    public static String shorten(String cell, int max) {
        int at = cell.indexOf(" via ");
        if (at < 0 || Fit.columns(cell) <= max) {
            return Fit.frame(cell, max);
        }
        String site = cell.substring(0, at);
        String via = cell.substring(at + " via ".length());
        if (Fit.columns(cell) > max && via.contains(CHAIN)) {
            via = innermostNamed(List.of(via.split(CHAIN)));
        }
        via = Fit.frame(via, Math.max(max - 5 - Fit.columns(site), MIN_VIA));
        int room = max - 5 - Fit.columns(via);
        return room < MIN_SITE ? Fit.frame(site, max) : Fit.frame(site, room) + " via " + via;
    }

    /** Of a chain's names (outermost first), the innermost that is a function, else the outermost. */
    private static String innermostNamed(List<String> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (!UNNAMED.matcher(chain.get(i)).matches()) {
                return chain.get(i);
            }
        }
        return chain.get(0);
    }

    /** A folded frame's function as people read it, else where it is ({@code libc.so.6+0x9a3c0}). */
    private static String name(Frame f) {
        return f.function() != null ? f.function() : f.describe();
    }
}
