package org.leakscope.symbols.dwarf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * Compares two lists of {@code STACK CFI} records by what they mean: the rule set in effect at every address
 * either side covers. Both sides' rules are constant between the addresses where some record starts or an INIT
 * range ends, so comparing at those addresses compares at every address; record order, rule order within a
 * record, and whether a change at an INIT's own address is folded into the INIT record do not matter.
 */
final class CfiComparison {
    private CfiComparison() {
    }

    /** One INIT record's range with its rules by address (the INIT's own rules at its start). */
    private record Entry(long start, long end, TreeMap<Long, Map<String, String>> changes) {
    }

    /** The addresses compared and the differences found (each a line naming the address and both rule sets). */
    record Result(int compared, List<String> differences) {
    }

    static Result compare(List<SymbolData.StackCfi> want, List<SymbolData.StackCfi> got) {
        List<Entry> a = entries(want);
        List<Entry> b = entries(got);
        TreeSet<Long> points = new TreeSet<>();
        for (List<Entry> side : List.of(a, b)) {
            for (Entry e : side) {
                points.add(e.end());
                points.addAll(e.changes().keySet());
            }
        }
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (long p : points) {
            Map<String, String> x = effective(a, p);
            Map<String, String> y = effective(b, p);
            if (x == null && y == null) {
                continue;
            }
            compared++;
            if (!Objects.equals(x, y)) {
                differences.add(String.format("%x: want %s, got %s", p, x, y));
            }
        }
        return new Result(compared, differences);
    }

    /** The rules in effect at {@code address}: the first INIT range holding it, folded up to it; null if none. */
    private static Map<String, String> effective(List<Entry> entries, long address) {
        for (Entry e : entries) {
            if (address >= e.start() && address < e.end()) {
                Map<String, String> rules = new TreeMap<>();
                e.changes().headMap(address, true).values().forEach(rules::putAll);
                return rules;
            }
        }
        return null;
    }

    private static List<Entry> entries(List<SymbolData.StackCfi> records) {
        List<Entry> out = new ArrayList<>();
        Entry current = null;
        for (SymbolData.StackCfi r : records) {
            if (r.size() != null) {
                current = new Entry(r.address(), r.address() + r.size(), new TreeMap<>());
                out.add(current);
            } else if (current == null) {
                throw new IllegalArgumentException(String.format("STACK CFI %x before any INIT record", r.address()));
            }
            current.changes().computeIfAbsent(r.address(), k -> new LinkedHashMap<>()).putAll(rules(r.rules()));
        }
        return out;
    }

    /** {@code .cfa: $rsp 16 + $rbp: .cfa -16 + ^} as {.cfa=$rsp 16 +, $rbp=.cfa -16 + ^}. */
    static Map<String, String> rules(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        String name = null;
        StringBuilder rule = new StringBuilder();
        for (String token : text.trim().split("\\s+")) {
            if (token.endsWith(":")) {
                if (name != null) {
                    m.put(name, rule.toString().trim());
                }
                name = token.substring(0, token.length() - 1);
                rule.setLength(0);
            } else {
                rule.append(token).append(' ');
            }
        }
        if (name != null) {
            m.put(name, rule.toString().trim());
        }
        return m;
    }
}
