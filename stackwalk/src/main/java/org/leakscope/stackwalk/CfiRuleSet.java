package org.leakscope.stackwalk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Breakpad STACK CFI rules ({@code .cfa: $rsp 16 + .ra: .cfa -8 + ^ $rbx: .cfa -24 + ^}) applied to a callee's
 * registers: the canonical frame address first, then the return address, then each register a rule names, each
 * with the callee's registers and {@code .cfa} in the dictionary, as Breakpad's CFIFrameInfo does. A register
 * whose rule fails is left out; a failing {@code .cfa} or {@code .ra} fails the whole frame.
 */
final class CfiRuleSet {
    private CfiRuleSet() {
    }

    /** Rule name ({@code .cfa}, {@code .ra}, {@code $rbx}) to expression; a later rule replaces an earlier one. */
    static Map<String, String> parse(String text) {
        Map<String, String> rules = new LinkedHashMap<>();
        String name = null;
        StringBuilder expr = new StringBuilder();
        for (String token : text.trim().split("\\s+")) {
            if (token.endsWith(":") && token.length() > 1) {
                if (name != null) {
                    rules.put(name, expr.toString().trim());
                }
                name = token.substring(0, token.length() - 1);
                expr.setLength(0);
            } else if (name != null) {
                expr.append(token).append(' ');
            }
        }
        if (name != null) {
            rules.put(name, expr.toString().trim());
        }
        return rules;
    }

    /**
     * The caller's values: {@code .cfa}, {@code .ra} and every register whose rule could be evaluated, keyed as the
     * rules name them; null when the rules lack {@code .cfa} or {@code .ra} or either cannot be evaluated.
     *
     * @param callee the callee's valid registers keyed as the rules name them ({@code $rsp}, {@code $ebp})
     */
    static Map<String, Long> caller(String text, Map<String, Long> callee, StackMemory memory, int wordSize) {
        Map<String, String> rules = parse(text);
        String cfaRule = rules.get(".cfa");
        String raRule = rules.get(".ra");
        if (cfaRule == null || raRule == null || cfaRule.isEmpty() || raRule.isEmpty()) {
            return null;
        }
        Long cfa = Postfix.value(cfaRule, new LinkedHashMap<>(callee), memory, wordSize);
        if (cfa == null) {
            return null;
        }
        Map<String, Long> withCfa = new LinkedHashMap<>(callee);
        withCfa.put(".cfa", cfa);
        Long ra = Postfix.value(raRule, new LinkedHashMap<>(withCfa), memory, wordSize);
        if (ra == null) {
            return null;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> r : rules.entrySet()) {
            if (r.getKey().equals(".cfa") || r.getKey().equals(".ra")) {
                continue;
            }
            Long v = Postfix.value(r.getValue(), new LinkedHashMap<>(withCfa), memory, wordSize);
            if (v != null) {
                out.put(r.getKey(), v);
            }
        }
        out.put(".ra", ra);
        out.put(".cfa", cfa);
        return out;
    }
}
