package org.leakscope.symbols.dwarf;

import java.util.Arrays;

/**
 * One compile unit's DIEs, decoded when an address inside it is first asked for: the unit's own DIE and the DIEs a
 * symbolizer uses (functions, inlined calls and the scopes that qualify names), each with its offset, tag, nearest
 * kept ancestor and the values of the few attributes it needs (names, code ranges, references, call site). Every
 * other DIE (types, variables, parameters, call sites, lexical blocks: most of a unit) is read past by its forms
 * and not kept, so a decoded unit costs a fraction of its bytes. Values are kept raw with their forms:
 * {@code DW_FORM_strx} and {@code DW_FORM_addrx} need the unit's {@code DW_AT_str_offsets_base}/
 * {@code DW_AT_addr_base}, which may come after them in the unit's own DIE.
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
    /** How many DIEs are kept; the arrays below are indexed by kept DIE, in pre-order (increasing offset). */
    int count;
    long[] offsets = new long[64];
    int[] tags = new int[64];
    /** The nearest kept ancestor, or -1. */
    int[] parents = new int[64];
    /** Per DIE, the index just past its kept subtree. */
    int[] ends = new int[64];
    /** Per DIE, which slots it has (bit {@code 1 << slot}) and where its values start in the two arrays below. */
    private int[] present = new int[64];
    private int[] first = new int[64];
    /** The values and forms of the DIEs' slots, packed: DIE by DIE, in slot order (a DIE has 2 to 6 of 14). */
    private long[] values = new long[256];
    private short[] forms = new short[256];
    private int packed;

    Unit(UnitHeader header) {
        this.header = header;
    }

    /** Decodes the unit's DIEs ({@code firstOnly}: only the unit's own DIE, for the index). */
    static Unit decode(Section info, UnitHeader h, Abbrevs abbrevs, boolean firstOnly) {
        Unit u = new Unit(h);
        Cursor c = info.at(h.dieOffset()).limit(h.end() - h.dieOffset(), "the unit's DIEs");
        // per open DIE with children: the kept DIE it is (-1 when not kept), and the parent of its children
        int[] open = new int[16];
        int[] parentOf = new int[16];
        int depth = 0;
        int parent = -1;
        boolean root = true;
        long[] slotValues = new long[SLOTS];
        int[] slotForms = new int[SLOTS];
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
                if (open[depth] >= 0) {
                    u.ends[open[depth]] = u.count;
                }
                parent = depth == 0 ? -1 : parentOf[depth - 1];
                continue;
            }
            Abbrevs.Abbrev a = abbrevs.get(code);
            if (a == null) {
                throw c.fail(at, "an abbreviation code of the unit's table at .debug_abbrev offset "
                        + h.abbrevOffset(), "code " + code);
            }
            boolean kept = root || keeps(a.tag());
            root = false;
            int index = kept ? u.add(at, a.tag(), parent) : -1;
            int mask = 0;
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
                    slotValues[slot] = v;
                    slotForms[slot] = form;
                    mask |= 1 << slot;
                }
            }
            if (kept) {
                u.ends[index] = index + 1;
                u.pack(index, mask, slotValues, slotForms);
            }
            if (firstOnly) {
                break;
            }
            if (a.children()) {
                if (depth == MAX_DEPTH) {
                    throw c.fail(at, "DIEs nested at most " + MAX_DEPTH + " deep", "deeper nesting");
                }
                if (depth == open.length) {
                    open = Arrays.copyOf(open, depth * 2);
                    parentOf = Arrays.copyOf(parentOf, depth * 2);
                }
                open[depth] = index;
                parentOf[depth] = kept ? index : parent;
                depth++;
                parent = kept ? index : parent;
            }
        }
        while (depth > 0) {
            int d = open[--depth];
            if (d >= 0) {
                u.ends[d] = u.count; // a tree the unit's end cut short
            }
        }
        u.trim();
        return u;
    }

    /**
     * Whether a DIE of this tag is kept: units, functions, inlined calls and the scopes that qualify names.
     */
    private static boolean keeps(int tag) {
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
            present = Arrays.copyOf(present, n);
            first = Arrays.copyOf(first, n);
        }
        offsets[count] = offset;
        tags[count] = tag;
        parents[count] = parent;
        return count++;
    }

    /** Appends the DIE's slots (a repeated attribute: the last one read) in slot order. */
    private void pack(int die, int mask, long[] slotValues, int[] slotForms) {
        present[die] = mask;
        first[die] = packed;
        int n = Integer.bitCount(mask);
        if (packed + n > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, packed + n));
            forms = Arrays.copyOf(forms, values.length);
        }
        for (int slot = 0; mask != 0; slot++, mask >>>= 1) {
            if ((mask & 1) != 0) {
                values[packed] = slotValues[slot];
                forms[packed] = (short) slotForms[slot]; // Forms.read knows no form above 0x7fff
                packed++;
            }
        }
    }

    /** Drops the arrays' spare room: a decoded unit is kept in a cache whose budget counts these bytes. */
    private void trim() {
        offsets = Arrays.copyOf(offsets, count);
        tags = Arrays.copyOf(tags, count);
        parents = Arrays.copyOf(parents, count);
        ends = Arrays.copyOf(ends, count);
        present = Arrays.copyOf(present, count);
        first = Arrays.copyOf(first, count);
        values = Arrays.copyOf(values, packed);
        forms = Arrays.copyOf(forms, packed);
    }

    /** What the kept DIEs cost on the heap, roughly (the decoded-unit cache's measure). */
    long bytes() {
        return 256L + offsets.length * (8L + 4 * 6) + values.length * (8L + 2);
    }

    boolean has(int die, int slot) {
        return (present[die] & 1 << slot) != 0;
    }

    /** The slot's value (0 when absent). */
    long value(int die, int slot) {
        int at = index(die, slot);
        return at < 0 ? 0 : values[at];
    }

    /** The slot's form, 0 when absent. */
    int form(int die, int slot) {
        int at = index(die, slot);
        return at < 0 ? 0 : forms[at];
    }

    private int index(int die, int slot) {
        int p = present[die];
        return (p & 1 << slot) == 0 ? -1 : first[die] + Integer.bitCount(p & ((1 << slot) - 1));
    }

    /** The DIE at this {@code .debug_info} offset, or -1. */
    int indexOf(long offset) {
        int i = Arrays.binarySearch(offsets, 0, count, offset);
        return i >= 0 ? i : -1;
    }
}
