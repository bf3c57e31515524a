package org.leakscope.symbols.dwarf;

import java.util.HashMap;
import java.util.Map;

/**
 * One abbreviation table of {@code .debug_abbrev}: code to tag, children flag and (attribute, form) pairs,
 * with the value of each {@code DW_FORM_implicit_const} kept from the table. Several units may share a table;
 * {@link DwarfUnits} caches them by offset.
 */
final class Abbrevs {
    /** One abbreviation. */
    record Abbrev(int tag, boolean children, int[] attributes, int[] forms, long[] implicitConsts) {
    }

    private final Map<Long, Abbrev> byCode = new HashMap<>();

    Abbrev get(long code) {
        return byCode.get(code);
    }

    /** The table at {@code offset}; it ends with code 0 or the section's end. */
    static Abbrevs read(Section section, long offset) {
        Abbrevs t = new Abbrevs();
        Cursor c = section.at(offset);
        while (c.more()) {
            long code = c.uleb();
            if (code == 0) {
                break;
            }
            int tag = (int) c.uleb();
            boolean children = c.u8() != 0;
            int[] attrs = new int[8];
            int[] forms = new int[8];
            long[] consts = null;
            int n = 0;
            while (true) {
                long attr = c.uleb();
                long form = c.uleb();
                if (attr == 0 && form == 0) {
                    break;
                }
                long value = form == Forms.IMPLICIT_CONST ? c.sleb() : 0;
                if (n == attrs.length) {
                    attrs = java.util.Arrays.copyOf(attrs, n * 2);
                    forms = java.util.Arrays.copyOf(forms, n * 2);
                }
                if (value != 0 && consts == null) {
                    consts = new long[attrs.length];
                }
                if (consts != null && consts.length < attrs.length) {
                    consts = java.util.Arrays.copyOf(consts, attrs.length);
                }
                if (consts != null) {
                    consts[n] = value;
                }
                attrs[n] = (int) attr;
                forms[n] = (int) form;
                n++;
            }
            t.byCode.putIfAbsent(code, new Abbrev(tag, children, java.util.Arrays.copyOf(attrs, n),
                    java.util.Arrays.copyOf(forms, n), consts == null ? null : java.util.Arrays.copyOf(consts, n)));
        }
        return t;
    }
}
