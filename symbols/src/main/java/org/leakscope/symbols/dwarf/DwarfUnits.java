package org.leakscope.symbols.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.leakscope.demangle.Demangler;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.symbols.AddressIndex;

/**
 * The compile units of {@code .debug_info}: indexed once by address (one pass over the unit headers, with
 * {@code .debug_aranges} where present, else each unit's own DIE), decoded only when an address inside one is
 * asked for, and decoded units kept up to {@link #CACHE_BYTES}. Resolves what the DIEs refer to: strings ({@code .debug_str},
 * {@code .debug_line_str}, {@code .debug_str_offsets}), addresses ({@code .debug_addr}), range lists
 * ({@code .debug_ranges}, {@code .debug_rnglists}), other DIEs, and function names.
 */
final class DwarfUnits {
    /** specification/abstract_origin chains longer than this are cycles (real ones have 2 or 3 links). */
    static final int MAX_CHAIN = 16;
    /** Range lists longer than this are damage. */
    private static final int MAX_RANGES = 1 << 20;
    /**
     * What the decoded units kept for later lookups may cost, per open file: a quarter of the heap, at most 1 GiB
     * (a unit of 1,000 functions, 8,000 kept DIEs and 60,000 line rows costs about 1.7 MB). The least recently used
     * unit goes first; the one being read always stays.
     */
    static final long CACHE_BYTES = Math.min(Runtime.getRuntime().maxMemory() / 4, 1L << 30);

    final DebugImage image;
    final Section info;
    private final Section abbrev;
    private final Section addr;
    private final Section ranges;
    private final Section rnglists;
    private final Consumer<Problem> problems;
    /** Units whose DIEs could not be decoded: not tried again. */
    private final Map<Integer, InputFormatException> failed = new HashMap<>();

    // sections only some lookups need: mapped or inflated when first read
    private Section str() {
        return image.section(".debug_str");
    }

    private Section lineStr() {
        return image.section(".debug_line_str");
    }

    private Section strOffsets() {
        return image.section(".debug_str_offsets");
    }

    /** Every unit's header, by offset. */
    final List<UnitHeader> headers = new ArrayList<>();
    private long[] headerOffsets = new long[0];
    /** Address ranges of units: start, size and which unit, sorted by start. */
    private final AddressIndex unitRanges = new AddressIndex();
    private final Map<Long, Abbrevs> abbrevTables = new HashMap<>();
    private final Map<Integer, Decoded> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;
    /** This file's cache budget ({@link #CACHE_BYTES}; tests lower it). */
    long cacheBytes = CACHE_BYTES;

    /** How many decoded units are kept now. */
    int cachedUnits() {
        return cache.size();
    }

    /** A decoded unit with what its DIEs need: bases, functions by address, the line table. */
    final class Decoded {
        final int index;
        final Unit unit;
        final long strOffsetsBase;
        final long addrBase;
        final long rnglistsBase;
        final long baseAddress;
        /** Functions: start, size and subprogram DIE of each code range, sorted by start. */
        final AddressIndex functions = new AddressIndex();
        private LineTable lines;
        private boolean linesTried;
        /** Names already resolved (demangling is the costly part of a lookup), by DIE index. */
        final Map<Integer, String> names = new HashMap<>();
        /** What this unit was counted as in the cache (DIEs and functions; the line table when read). */
        long bytes;

        Decoded(int index, Unit u) {
            this.index = index;
            this.unit = u;
            boolean cu = u.count > 0;
            strOffsetsBase = cu && u.has(0, Unit.STR_OFFSETS_BASE) ? u.value(0, Unit.STR_OFFSETS_BASE)
                    : u.header.version() >= 5 ? 8 : 0;
            addrBase = cu && u.has(0, Unit.ADDR_BASE) ? u.value(0, Unit.ADDR_BASE) : 8;
            rnglistsBase = cu && u.has(0, Unit.RNGLISTS_BASE) ? u.value(0, Unit.RNGLISTS_BASE) : 12;
            baseAddress = cu && u.has(0, Unit.LOW) ? address(0, Unit.LOW) : 0;
        }

        void indexFunctions() {
            for (int i = 0; i < unit.count; i++) {
                if (unit.tags[i] == Unit.TAG_SUBPROGRAM) {
                    long[] r = ranges(i);
                    for (int k = 0; k + 1 < r.length; k += 2) {
                        functions.add(r[k], r[k + 1] - r[k], i);
                    }
                }
            }
            functions.sort();
        }

        /** The function range holding {@code a}, innermost (latest start) first, or -1. */
        int functionAt(long a) {
            return holder(functions, a);
        }

        LineTable lines() {
            if (!linesTried) {
                linesTried = true;
                if (unit.count > 0 && unit.has(0, Unit.STMT_LIST)) {
                    try {
                        lines = LineTable.read(image.section(".debug_line"), str(), lineStr(),
                                unit.value(0, Unit.STMT_LIST),
                                string(0, Unit.COMP_DIR), string(0, Unit.NAME), unit.header.addressSize());
                        charge(this, lines.bytes());
                    } catch (InputFormatException e) {
                        problems.accept(Problem.of(e));
                    }
                }
            }
            return lines;
        }

        String string(int die, int slot) {
            int form = unit.form(die, slot);
            long v = form == 0 ? 0 : unit.value(die, slot);
            return switch (form) {
                case 0 -> null;
                case Forms.STRING -> info.at(v).cstring();
                case Forms.STRP -> str().at(v).cstring();
                case Forms.LINE_STRP -> lineStr().at(v).cstring();
                default -> {
                    if (Forms.isStrx(form)) {
                        int size = unit.header.offsetSize();
                        long at = strOffsetsBase + v * size;
                        if (v < 0 || v > Integer.MAX_VALUE) {
                            throw Cursor.fail(strOffsets(), 0, "a string index inside .debug_str_offsets", "index "
                                    + v);
                        }
                        yield str().at(strOffsets().at(at).unsigned(size)).cstring();
                    }
                    yield null; // strings of a supplementary file (dwz): not available
                }
            };
        }

        long address(int die, int slot) {
            int form = unit.form(die, slot);
            long v = unit.value(die, slot);
            return Forms.isAddrx(form) ? indexedAddress(v) : v;
        }

        long indexedAddress(long index) {
            int size = unit.header.addressSize();
            if (index < 0 || index > Integer.MAX_VALUE) {
                throw Cursor.fail(addr, 0, "an address index inside .debug_addr", "index " + index);
            }
            return addr.at(addrBase + index * size).unsigned(size);
        }

        /** The DIE's code ranges as [start, end) pairs (empty when it has none). */
        long[] ranges(int die) {
            if (unit.has(die, Unit.LOW) && unit.has(die, Unit.HIGH)) {
                long low = address(die, Unit.LOW);
                int hf = unit.form(die, Unit.HIGH);
                long high = Forms.isConstant(hf) ? low + unit.value(die, Unit.HIGH) : address(die, Unit.HIGH);
                return Long.compareUnsigned(low, high) < 0 ? new long[] {low, high} : new long[0];
            }
            if (unit.has(die, Unit.RANGES)) {
                int form = unit.form(die, Unit.RANGES);
                long v = unit.value(die, Unit.RANGES);
                if (form == Forms.RNGLISTX) {
                    int size = unit.header.offsetSize();
                    if (v < 0 || v > Integer.MAX_VALUE) {
                        throw Cursor.fail(rnglists, 0, "a range list index", "index " + v);
                    }
                    long rel = rnglists.at(rnglistsBase + v * size).unsigned(size);
                    return rangeList(rnglistsBase + rel);
                }
                return unit.header.version() >= 5 ? rangeList(v) : oldRanges(v);
            }
            return new long[0];
        }

        /** A {@code .debug_ranges} list (DWARF 2 to 4): pairs relative to a base, (max, base) resets it. */
        private long[] oldRanges(long offset) {
            int size = unit.header.addressSize();
            long max = size == 8 ? -1L : (1L << (size * 8)) - 1;
            Cursor c = ranges.at(offset);
            long base = baseAddress;
            Pairs out = new Pairs();
            while (true) {
                long a = c.unsigned(size);
                long b = c.unsigned(size);
                if (a == 0 && b == 0) {
                    return out.array();
                }
                if (a == max) {
                    base = b;
                    continue;
                }
                out.add(c, base + a, base + b);
            }
        }

        /** A {@code .debug_rnglists} list (DWARF 5). */
        private long[] rangeList(long offset) {
            int size = unit.header.addressSize();
            Cursor c = rnglists.at(offset);
            long base = baseAddress;
            Pairs out = new Pairs();
            while (true) {
                int kind = c.u8();
                switch (kind) {
                    case 0 -> {
                        return out.array();
                    }
                    case 1 -> base = indexedAddress(c.uleb());
                    case 2 -> out.add(c, indexedAddress(c.uleb()), indexedAddress(c.uleb()));
                    case 3 -> {
                        long s = indexedAddress(c.uleb());
                        out.add(c, s, s + c.uleb());
                    }
                    case 4 -> {
                        long s = c.uleb();
                        out.add(c, base + s, base + c.uleb());
                    }
                    case 5 -> base = c.unsigned(size);
                    case 6 -> out.add(c, c.unsigned(size), c.unsigned(size));
                    case 7 -> {
                        long s = c.unsigned(size);
                        out.add(c, s, s + c.uleb());
                    }
                    default -> throw c.fail(c.pos() - 1, "a DW_RLE_* range list entry kind (0 to 7)", "kind "
                            + kind);
                }
            }
        }
    }

    /** Collects [start, end) pairs, dropping empty ones, up to a cap. */
    private static final class Pairs {
        private long[] v = new long[8];
        private int n;

        void add(Cursor c, long start, long end) {
            if (Long.compareUnsigned(start, end) >= 0) {
                return;
            }
            if (n == v.length) {
                if (n >= 2 * MAX_RANGES) {
                    throw c.fail(c.pos(), "a range list of at most " + MAX_RANGES + " ranges", "more");
                }
                v = Arrays.copyOf(v, n * 2);
            }
            v[n++] = start;
            v[n++] = end;
        }

        long[] array() {
            return Arrays.copyOf(v, n);
        }
    }

    DwarfUnits(DebugImage image, Consumer<Problem> problems) {
        this.image = image;
        this.problems = problems;
        info = image.section(".debug_info");
        abbrev = image.section(".debug_abbrev");
        addr = image.section(".debug_addr");
        ranges = image.section(".debug_ranges");
        rnglists = image.section(".debug_rnglists");
        index(image.section(".debug_aranges"));
    }

    /** One pass over the unit headers, then each unit's address ranges. */
    private void index(Section aranges) {
        long at = 0;
        while (at < info.size()) {
            UnitHeader h;
            try {
                h = UnitHeader.read(info, at);
            } catch (InputFormatException e) {
                problems.accept(Problem.of(e)); // the units after a damaged header cannot be found
                break;
            }
            headers.add(h);
            at = h.end();
        }
        headerOffsets = headers.stream().mapToLong(UnitHeader::offset).toArray();
        boolean[] covered = new boolean[headers.size()];
        if (aranges.size() > 0) {
            try {
                readAranges(aranges, covered);
            } catch (InputFormatException e) {
                problems.accept(Problem.of(e));
            }
        }
        for (int i = 0; i < headers.size(); i++) {
            UnitHeader h = headers.get(i);
            if (covered[i] || (h.unitType() != UnitHeader.DW_UT_COMPILE && h.unitType() != UnitHeader.DW_UT_PARTIAL)) {
                continue;
            }
            try {
                Unit first = Unit.decode(info, h, abbrevs(h.abbrevOffset()), true);
                Decoded d = new Decoded(i, first);
                long[] r = first.count > 0 ? d.ranges(0) : new long[0];
                if (r.length == 0) {
                    // no ranges on the unit's own DIE: its functions say where its code is
                    AddressIndex fns = decoded(i).functions;
                    r = new long[fns.count() * 2];
                    for (int k = 0; k < fns.count(); k++) {
                        r[2 * k] = fns.address(k);
                        r[2 * k + 1] = fns.address(k) + fns.size(k);
                    }
                }
                for (int k = 0; k + 1 < r.length; k += 2) {
                    unitRanges.add(r[k], r[k + 1] - r[k], i);
                }
            } catch (InputFormatException e) {
                problems.accept(Problem.of(e));
            }
        }
        unitRanges.sort();
    }

    private void readAranges(Section aranges, boolean[] covered) {
        long at = 0;
        while (at < aranges.size()) {
            Cursor c = aranges.at(at);
            long length = c.u32();
            int offsetSize = 4;
            if (length == 0xffffffffL) {
                length = c.u64();
                offsetSize = 8;
            }
            long start = c.pos();
            c.limit(length, "an address range set of " + length + " bytes");
            c.u16(); // version 2
            long unitOffset = c.unsigned(offsetSize);
            int addressSize = c.u8();
            int segmentSize = c.u8();
            // a size of 0 made the tuple 0 bytes (a division by zero aligning it); other sizes cannot be read
            if (!tupleFieldSize(addressSize) || segmentSize != 0 && !tupleFieldSize(segmentSize)) {
                throw c.fail(c.pos() - 2, "an address size of 1, 2, 4 or 8 and a segment selector size of 0, 1, 2,"
                        + " 4 or 8", "address size " + addressSize + ", segment selector size " + segmentSize);
            }
            int tuple = 2 * addressSize + segmentSize;
            long header = c.pos() - at;
            c.skip((tuple - header % tuple) % tuple); // tuples are aligned to their size from the set's start
            int unit = Arrays.binarySearch(headerOffsets, unitOffset);
            while (c.end() - c.pos() >= tuple) {
                c.skip(segmentSize);
                long a = c.unsigned(addressSize);
                long len = c.unsigned(addressSize);
                if (a == 0 && len == 0) {
                    break;
                }
                if (unit >= 0 && len != 0) {
                    unitRanges.add(a, len, unit);
                }
            }
            if (unit >= 0) {
                covered[unit] = true;
            }
            at = start + length;
        }
    }

    private static boolean tupleFieldSize(int size) {
        return size == 1 || size == 2 || size == 4 || size == 8;
    }

    Abbrevs abbrevs(long offset) {
        Abbrevs a = abbrevTables.get(offset);
        if (a == null) {
            a = Abbrevs.read(abbrev, offset);
            abbrevTables.put(offset, a);
        }
        return a;
    }

    /** The units whose ranges hold {@code a} (usually one). */
    List<Integer> unitsAt(long a) {
        List<Integer> out = new ArrayList<>(1);
        int i = unitRanges.floor(a);
        for (int k = i; k >= 0 && k > i - 64; k--) {
            if (Long.compareUnsigned(a - unitRanges.address(k), unitRanges.size(k)) < 0
                    && !out.contains((int) unitRanges.offset(k))) {
                out.add((int) unitRanges.offset(k));
            }
        }
        return out;
    }

    /**
     * The entry of {@code index} whose range holds {@code a}: the latest-starting one, looking back past a few
     * earlier, longer ranges (nested or overlapping); -1 when none does.
     */
    static int holder(AddressIndex index, long a) {
        int i = index.floor(a);
        for (int k = i; k >= 0 && k > i - 64; k--) {
            if (Long.compareUnsigned(a - index.address(k), index.size(k)) < 0) {
                return k;
            }
        }
        return -1;
    }

    /** Unit {@code index} decoded (cached). */
    Decoded decoded(int index) {
        Decoded d = cache.get(index);
        if (d == null) {
            InputFormatException before = failed.get(index);
            if (before != null) {
                throw before;
            }
            UnitHeader h = headers.get(index);
            try {
                d = new Decoded(index, Unit.decode(info, h, abbrevs(h.abbrevOffset()), false));
                d.indexFunctions();
            } catch (InputFormatException e) {
                failed.put(index, e);
                throw e;
            }
            cache.put(index, d);
            charge(d, d.unit.bytes() + d.functions.count() * 24L);
        }
        return d;
    }

    /** Counts {@code bytes} more for a cached unit, then drops least recently used units over the budget. */
    private void charge(Decoded d, long bytes) {
        if (cache.get(d.index) != d) {
            return; // already dropped (its line table read late): nothing kept
        }
        d.bytes += bytes;
        cachedBytes += bytes;
        var it = cache.values().iterator();
        while (cachedBytes > cacheBytes && it.hasNext()) {
            Decoded old = it.next();
            if (old != d) {
                it.remove();
                cachedBytes -= old.bytes;
            }
        }
    }

    /** A DIE of some unit. */
    record Ref(Decoded unit, int die) {
    }

    /** The DIE a reference attribute points at, in this or another unit; null when it cannot be followed. */
    Ref follow(Decoded u, int die, int slot) {
        int form = u.unit.form(die, slot);
        if (!Forms.isUnitReference(form) && form != Forms.REF_ADDR) {
            return null; // ref_sig8 (a type unit) or a supplementary file's DIE
        }
        long target = u.unit.value(die, slot);
        Decoded t = u;
        if (target < u.unit.header.offset() || target >= u.unit.header.end()) {
            int i = org.leakscope.symbols.ImageSymbols.floor(headerOffsets, target);
            if (i < 0 || target >= headers.get(i).end()) {
                return null;
            }
            t = decoded(i);
        }
        int d = t.unit.indexOf(target);
        return d < 0 ? null : new Ref(t, d);
    }

    /**
     * The name of a subprogram or inlined subroutine: its linkage name demangled, else its DW_AT_name qualified by
     * the enclosing namespaces and classes, found along DW_AT_specification and DW_AT_abstract_origin.
     */
    String name(Decoded u, int die) {
        String known = u.names.get(die);
        if (known == null) {
            known = resolveName(u, die);
            u.names.put(die, known);
        }
        return known;
    }

    private String resolveName(Decoded u, int die) {
        String linkage = null;
        Ref named = null;
        Ref at = new Ref(u, die);
        for (int hops = 0; at != null; hops++) {
            if (hops == MAX_CHAIN) {
                problems.accept(Problem.atOffset(image.source, u.unit.offsets[die], "a DW_AT_specification or"
                        + " DW_AT_abstract_origin chain of more than " + MAX_CHAIN + " links (a cycle?) from the DIE at"
                        + " .debug_info offset " + u.unit.offsets[die]));
                break;
            }
            Unit x = at.unit().unit;
            if (linkage == null && x.has(at.die(), Unit.LINKAGE)) {
                linkage = at.unit().string(at.die(), Unit.LINKAGE);
            }
            if (named == null && x.has(at.die(), Unit.NAME)) {
                named = at;
            }
            if (linkage != null) {
                break;
            }
            int slot = x.has(at.die(), Unit.SPEC) ? Unit.SPEC : x.has(at.die(), Unit.ORIGIN) ? Unit.ORIGIN : -1;
            at = slot < 0 ? null : follow(at.unit(), at.die(), slot);
        }
        if (linkage != null) {
            String d = Demangler.demangle(linkage);
            if (d != null) {
                return d;
            }
        }
        if (named != null) {
            String n = named.unit().string(named.die(), Unit.NAME);
            if (n != null) {
                return qualify(named.unit(), named.die(), n);
            }
        }
        return linkage != null ? linkage : "<name omitted>";
    }

    /** {@code name} prefixed with the namespaces and classes around the DIE. */
    private String qualify(Decoded u, int die, String name) {
        StringBuilder sb = new StringBuilder(name);
        int p = u.unit.parents[die];
        for (int depth = 0; p >= 0 && depth < 64; depth++) {
            int tag = u.unit.tags[p];
            if (tag == Unit.TAG_NAMESPACE && !u.unit.has(p, Unit.NAME)) {
                break; // as dump_syms: a name inside an anonymous namespace is qualified from there on only
            }
            String prefix = switch (tag) {
                case Unit.TAG_NAMESPACE -> u.string(p, Unit.NAME);
                case Unit.TAG_CLASS, Unit.TAG_STRUCTURE, Unit.TAG_UNION, Unit.TAG_ENUMERATION, Unit.TAG_INTERFACE ->
                        u.unit.has(p, Unit.NAME) ? u.string(p, Unit.NAME) : "(anonymous)";
                default -> null;
            };
            if (prefix == null) {
                break;
            }
            sb.insert(0, prefix + "::");
            p = u.unit.parents[p];
        }
        return sb.toString();
    }
}
