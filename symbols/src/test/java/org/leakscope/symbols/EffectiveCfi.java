package org.leakscope.symbols;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * The rules in effect at every address a list of STACK CFI records covers, the way the Breakpad processor
 * applies them: an INIT record starts a rule set for its range, each later record at an address inside it
 * changes the named registers from that address on. So an INIT record and a delta record at its own address
 * mean the same as one INIT record with both rule sets folded; written differently, they compare equal here.
 */
final class EffectiveCfi {
    private EffectiveCfi() {
    }

    /** Address to (register to rule), for every address covered. */
    static TreeMap<Long, Map<String, String>> of(List<SymbolData.StackCfi> records) {
        TreeMap<Long, Map<String, String>> out = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            SymbolData.StackCfi init = records.get(i);
            if (init.size() == null) {
                continue;
            }
            TreeMap<Long, Map<String, String>> deltas = new TreeMap<>();
            int j = i + 1;
            for (; j < records.size() && records.get(j).size() == null; j++) {
                deltas.merge(records.get(j).address(), parse(records.get(j).rules()), (a, b) -> {
                    a.putAll(b);
                    return a;
                });
            }
            Map<String, String> state = parse(init.rules());
            for (long a = init.address(); a < init.address() + init.size(); a++) {
                Map<String, String> d = deltas.get(a);
                if (d != null) {
                    state = new LinkedHashMap<>(state);
                    state.putAll(d);
                }
                out.put(a, state);
            }
            i = j - 1;
        }
        return out;
    }

    /** {@code .cfa: $rsp 48 + $rbx: .cfa 16 - ^} as {.cfa=$rsp 48 +, $rbx=.cfa 16 - ^}. */
    static Map<String, String> parse(String rules) {
        Map<String, String> m = new LinkedHashMap<>();
        String reg = null;
        StringBuilder expr = new StringBuilder();
        for (String tok : rules.trim().split("\\s+")) {
            if (tok.endsWith(":")) {
                if (reg != null) {
                    m.put(reg, expr.toString().trim());
                }
                reg = tok.substring(0, tok.length() - 1);
                expr.setLength(0);
            } else {
                expr.append(tok).append(' ');
            }
        }
        if (reg != null) {
            m.put(reg, expr.toString().trim());
        }
        return m;
    }
}
