package org.leakscope.symbols.dwarf;

import java.util.Arrays;

/**
 * One compile unit's DIEs, decoded when an address inside it is first asked for: per DIE its offset, tag and
 * parent, and the values of the few attributes a symbolizer uses (names, code ranges, references, call site);
 * every other attribute is skipped by its form. Values are kept raw with their forms: {@code DW_FORM_strx} and
 * {@code DW_FORM_addrx} need the unit's {@code DW_AT_str_offsets_base}/{@code DW_AT_addr_base}, which may come
 * after them in the unit's own DIE.
 */
final class Unit {
    static final int NAME = 0;
    static final int LINKAGE = 1;
    static final int LOW = 2;
    static final int HIGH = 3;
    static final int RANGES = 4;
    static final int SPEC = 5;
    static final int ORIGIN = 6;
    static final int CALL_FILE = 7;
    static final int CALL_LINE = 8;
    static final int STMT_LIST = 9;
    static final int COMP_DIR = 10;
    static final int STR_OFFSETS_BASE = 11;
    static final int ADDR_BASE = 12;
    static final int RNGLISTS_BASE = 13;
    static final int SLOTS = 14;

    static final int TAG_CLASS = 0x02;
    static final int TAG_ENUMERATION = 0x04;
    static final int TAG_COMPILE_UNIT = 0x11;
    static final int TAG_STRUCTURE = 0x13;
    static final int TAG_UNION = 0x17;
    static final int TAG_INLINED_SUBROUTINE = 0x1d;
    static final int TAG_SUBPROGRAM = 0x2e;
    static final int TAG_INTERFACE = 0x38;
    static final int TAG_NAMESPACE = 0x39;
    static final int TAG_PARTIAL_UNIT = 0x3c;
    static final int TAG_SKELETON_UNIT = 0x4a;

    /** Nesting deeper than this is damage (real code stays below a few dozen levels). */
    private static final int MAX_DEPTH = 4096;

    final UnitHeader header;
    int count;
    long[] offsets = new long[64];
    int[] tags = new int[64];
    int[] parents = new int[64];
    /** Per DIE, the index just past its subtree (DIEs are in pre-order). */
    int[] ends = new int[64];
    /** Per DIE, its slot values and forms (form 0: absent), or null when it has none of the slots. */
    long[][] values = new long[64][];
    int[][] forms = new int[64][];

    Unit(UnitHeader header) {
        this.header = header;
    }

    /** Decodes the unit's DIEs ({@code firstOnly}: only the unit's own DIE, for the index). */
    static Unit decode(Section info, UnitHeader h, Abbrevs abbrevs, boolean firstOnly) {
        Unit u = new Unit(h);
        Cursor c = info.at(h.dieOffset()).limit(h.end() - h.dieOffset(), "the unit's DIEs");
        int[] stack = new int[16];
        int depth = 0;
        int parent = -1;
        while (c.more()) {
            long at = c.pos();
            long code = c.uleb();
            if (code == 0) {
                if (depth == 0) {
                    if (firstOnly) {
                        break;
                    }
                    continue; // padding after the unit's DIE tree
                }
                depth--;
                u.ends[stack[depth]] = u.count;
                parent = depth == 0 ? -1 : stack[depth - 1];
                continue;
            }
            Abbrevs.Abbrev a = abbrevs.get(code);
            if (a == null) {
                throw c.fail(at, "an abbreviation code of the unit's table at .debug_abbrev offset "
                        + h.abbrevOffset(), "code " + code);
            }
            int index = u.add(at, a.tag(), parent);
            boolean kept = keepsValues(a.tag());
            u.ends[index] = index + 1;
            for (int i = 0; i < a.attributes().length; i++) {
                int form = a.forms()[i];
                int indirections = 0;
                while (form == Forms.INDIRECT) {
                    form = (int) c.uleb();
                    if (++indirections > 4) {
                        throw c.fail(at, "DW_FORM_indirect naming a form", "a chain of indirect forms");
                    }
                }
                long v = form == Forms.IMPLICIT_CONST ? (a.implicitConsts() == null ? 0 : a.implicitConsts()[i])
                        : Forms.read(c, form, h);
                int slot = kept ? slot(a.attributes()[i]) : -1;
                if (slot >= 0) {
                    if (Forms.isUnitReference(form)) {
                        v += h.offset();
                    }
                    u.set(index, slot, v, form);
                }
            }
            if (firstOnly) {
                break;
            }
            if (a.children()) {
                if (depth == MAX_DEPTH) {
                    throw c.fail(at, "DIEs nested at most " + MAX_DEPTH + " deep", "deeper nesting");
                }
                if (depth == stack.length) {
                    stack = Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = index;
                parent = index;
            }
        }
        while (depth > 0) {
            u.ends[stack[--depth]] = u.count; // a tree the unit's end cut short
        }
        return u;
    }

    /**
     * Whether a DIE of this tag keeps its slot values: units, functions, inlined calls and the scopes that
     * qualify names. Types, variables and parameters (most DIEs) keep only tag and parent.
     */
    private static boolean keepsValues(int tag) {
        return switch (tag) {
            case TAG_COMPILE_UNIT, TAG_PARTIAL_UNIT, TAG_SKELETON_UNIT, TAG_SUBPROGRAM, TAG_INLINED_SUBROUTINE,
                    TAG_NAMESPACE, TAG_CLASS, TAG_STRUCTURE, TAG_UNION, TAG_ENUMERATION, TAG_INTERFACE -> true;
            default -> false;
        };
    }

    private static int slot(int attribute) {
        return switch (attribute) {
            case 0x03 -> NAME;
            case 0x6e, 0x2007 -> LINKAGE; // DW_AT_linkage_name, DW_AT_MIPS_linkage_name (before DWARF 4)
            case 0x11 -> LOW;
            case 0x12 -> HIGH;
            case 0x55 -> RANGES;
            case 0x47 -> SPEC;
            case 0x31 -> ORIGIN;
            case 0x58 -> CALL_FILE;
            case 0x59 -> CALL_LINE;
            case 0x10 -> STMT_LIST;
            case 0x1b -> COMP_DIR;
            case 0x72 -> STR_OFFSETS_BASE;
            case 0x73 -> ADDR_BASE;
            case 0x74 -> RNGLISTS_BASE;
            default -> -1;
        };
    }

    private int add(long offset, int tag, int parent) {
        if (count == offsets.length) {
            int n = count * 2;
            offsets = Arrays.copyOf(offsets, n);
            tags = Arrays.copyOf(tags, n);
            parents = Arrays.copyOf(parents, n);
            ends = Arrays.copyOf(ends, n);
            values = Arrays.copyOf(values, n);
            forms = Arrays.copyOf(forms, n);
        }
        offsets[count] = offset;
        tags[count] = tag;
        parents[count] = parent;
        return count++;
    }

    private void set(int die, int slot, long value, int form) {
        if (values[die] == null) {
            values[die] = new long[SLOTS];
            forms[die] = new int[SLOTS];
        }
        values[die][slot] = value;
        forms[die][slot] = form;
    }

    boolean has(int die, int slot) {
        return forms[die] != null && forms[die][slot] != 0;
    }

    long value(int die, int slot) {
        return values[die][slot];
    }

    int form(int die, int slot) {
        return forms[die] == null ? 0 : forms[die][slot];
    }

    /** The DIE at this {@code .debug_info} offset, or -1. */
    int indexOf(long offset) {
        int i = Arrays.binarySearch(offsets, 0, count, offset);
        return i >= 0 ? i : -1;
    }
}
