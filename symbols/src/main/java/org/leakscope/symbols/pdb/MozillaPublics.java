package org.leakscope.symbols.pdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.leakscope.demangle.Demangler;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * Public symbols as mozilla's dump_syms (Rust) merges them with the functions, in the symbol record stream's
 * order:
 * <ul>
 * <li>string and floating-point constants ({@code ??_C...}, {@code __real@...}) are left out;</li>
 * <li>a public is left out when the symbol just below its address (a function, or a public listed earlier)
 *     covers it; publics have no size, so only functions cover anything;</li>
 * <li>at a function's address, the public gives the function its parameter size and, when the function's name
 *     has no argument list, its name;</li>
 * <li>at an address taken by another public, the first stays and is marked multiple, whatever the names;</li>
 * <li>C decorations are read as mozilla reads them ({@link #parse}): a fastcall's parameter size is all its
 *     parameter bytes, registers included (Breakpad's counts only those on the stack); C++ names are demangled
 *     in {@link Demangler#demangleLikeMozilla mozilla's spelling}, and left as they are where that fails.</li>
 * </ul>
 */
final class MozillaPublics {
    /** The suffixes of compiler clones mozilla strips from names before demangling. */
    private static final Pattern CLONE_SUFFIX = Pattern.compile(
            "((\\.(cold|constprop|llvm|localalias|lto_priv|isra|part|str)(\\.[0-9]+)?)|( ?\\[clone[^\\]]*\\] ?))+$");

    private MozillaPublics() {
    }

    /** A public symbol at its RVA, in the symbol record stream's order. */
    record At(long rva, String name) {
    }

    /** A C name without its decoration, and the parameter bytes the decoration states (-1: none). */
    record Parsed(String name, long parameterSize) {
    }

    private static final class Entry {
        final SymbolData.Function function;
        String name;
        long parameterSize;
        boolean multiple;

        Entry(SymbolData.Function function, String name, long parameterSize) {
            this.function = function;
            this.name = name;
            this.parameterSize = parameterSize;
        }

        long size() {
            return function == null ? 0 : function.size();
        }
    }

    /**
     * Adds the publics to {@code publicsOut} and returns the functions with the names and parameter sizes the
     * publics gave them.
     *
     * @param functions by address, at most one per address
     * @param publics   in the symbol record stream's order, code sections only
     */
    static List<SymbolData.Function> add(List<SymbolData.Function> functions, List<At> publics,
            List<SymbolData.Public> publicsOut) {
        TreeMap<Long, Entry> symbols = new TreeMap<>();
        for (SymbolData.Function f : functions) {
            symbols.put(f.address(), new Entry(f, f.name(), f.paramSize()));
        }
        for (At p : publics) {
            if (skipped(p.name()) || inside(symbols, p.rva())) {
                continue;
            }
            Parsed parsed = parse(p.name());
            Entry e = symbols.get(p.rva());
            if (e == null) {
                symbols.put(p.rva(), new Entry(null, demangle(parsed.name()), Math.max(0, parsed.parameterSize())));
            } else if (e.function == null) {
                e.multiple = true;
            } else {
                if (e.name.indexOf('(') < 0) {
                    e.name = demangle(parsed.name());
                }
                if (parsed.parameterSize() >= 0) {
                    e.parameterSize = parsed.parameterSize();
                }
            }
        }
        List<SymbolData.Function> out = new ArrayList<>();
        for (Map.Entry<Long, Entry> m : symbols.entrySet()) {
            Entry e = m.getValue();
            if (e.function == null) {
                publicsOut.add(new SymbolData.Public(e.multiple, m.getKey(), e.parameterSize, e.name));
            } else {
                SymbolData.Function f = e.function;
                out.add(new SymbolData.Function(f.multiple(), f.address(), f.size(), e.parameterSize, e.name,
                        f.lines(), f.inlines()));
            }
        }
        return out;
    }

    /**
     * mozilla's catch-all public {@code <unknown in NAME>} just past the last symbol (its end, or its address + 1
     * for a public), so an address beyond every symbol is not given the last one's name; {@code binary} is the PE
     * file's name, or the PDB's when there is no PE.
     */
    static SymbolData withCatchAll(SymbolData d, String binary) {
        long last = -1;
        long end = -1;
        for (SymbolData.Function f : d.functions()) {
            if (f.address() >= last) {
                last = f.address();
                end = f.address() + f.size();
            }
        }
        for (SymbolData.Public p : d.publics()) {
            if (p.address() > last) {
                last = p.address();
                end = p.address() + 1;
            }
        }
        if (last < 0) {
            return d;
        }
        long at = end == last ? last + 1 : end;
        List<SymbolData.Public> publics = new ArrayList<>(d.publics());
        if (publics.stream().anyMatch(p -> p.address() == at) || d.functions().stream()
                .anyMatch(f -> f.address() == at)) {
            return d;
        }
        publics.add(new SymbolData.Public(false, at, 0, "<unknown in " + binary + ">"));
        publics.sort(java.util.Comparator.comparingLong(SymbolData.Public::address));
        return new SymbolData(d.module(), d.info(), d.files(), d.origins(), d.functions(), publics, d.stackWin(),
                d.stackCfi());
    }

    /** The symbol just below {@code rva} covers it (its start below, its end above). */
    private static boolean inside(TreeMap<Long, Entry> symbols, long rva) {
        Map.Entry<Long, Entry> below = symbols.lowerEntry(rva);
        return below != null && rva < below.getKey() + below.getValue().size();
    }

    /** String literals and floating-point constants, which mozilla does not list. */
    static boolean skipped(String name) {
        if (name.startsWith("??_C")) {
            return true;
        }
        return name.startsWith("__") && (name.startsWith("real@", 2) || name.startsWith("xmm@", 2)
                || name.startsWith("ymm@", 2));
    }

    /**
     * A name as mozilla reads its C decoration: names with {@code :} or {@code (} as they are; {@code name@@N}
     * (vectorcall), {@code _name@N} (stdcall) and {@code @name@N} (fastcall) give the name and N; {@code _name}
     * (cdecl) gives the name; anything else (C++ names) is kept whole.
     */
    static Parsed parse(String name) {
        if (name.indexOf(':') >= 0 || name.indexOf('(') >= 0) {
            return new Parsed(name, -1);
        }
        int vector = name.lastIndexOf("@@");
        if (vector >= 0 && number(name.substring(vector + 2)) >= 0) {
            return new Parsed(name.substring(0, vector), number(name.substring(vector + 2)));
        }
        if (!name.isEmpty() && (name.charAt(0) == '@' || name.charAt(0) == '_')) {
            String rest = name.substring(1);
            int at = rest.lastIndexOf('@');
            if (at >= 0 && number(rest.substring(at + 1)) >= 0) {
                return new Parsed(rest.substring(0, at), number(rest.substring(at + 1)));
            }
            if (name.charAt(0) == '_') {
                return new Parsed(rest, -1);
            }
        }
        return new Parsed(name, -1);
    }

    /** A decimal that fits 32 bits unsigned (as Rust's {@code u32} parses it, a leading {@code +} allowed), or -1. */
    private static long number(String s) {
        String digits = s.startsWith("+") ? s.substring(1) : s;
        if (digits.isEmpty() || digits.length() > 10) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        long n = Long.parseLong(digits);
        return n <= 0xFFFF_FFFFL ? n : -1;
    }

    /** A C++ name ({@code ?...}) demangled in mozilla's spelling, else the name as it is. */
    static String demangle(String name) {
        if (!name.startsWith("?") && !name.startsWith("@?")) {
            return name;
        }
        String fixed = CLONE_SUFFIX.matcher(name).replaceFirst("");
        String d = Demangler.demangleLikeMozilla(fixed);
        return d == null ? fixed : d;
    }
}
