package org.leakscope.symbols.dwarf;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.symbols.dwarf.CfiRules.CfaRule;
import org.leakscope.symbols.dwarf.CfiRules.RegisterRule;

/**
 * One FDE as Breakpad {@code STACK CFI} records, written as Breakpad's dump_syms (DwarfCFIToModule) writes them:
 * an INIT record with the rules in effect at the FDE's start (a {@code .ra} rule naming the return address
 * register first, so one is always there), then one record per later address with the rules the instructions
 * set there (the last one set wins), each record's rules sorted by name. Rules are postfix text: the CFA
 * {@code $rsp 16 +}, a saved register {@code .cfa -16 + ^}, a value {@code .cfa 8 +}, another register's name,
 * the register's own name for "same value".
 *
 * <p>Like dump_syms, expression rules are left out (the rule before stays in the records). An undefined rule is
 * dropped from the record it falls in, as mozilla's dump_syms and Sentry's symbolic do (Breakpad leaves the
 * rule before in place): {@code _start}'s INIT record then has no {@code .ra}, so no unwinder walks past it.
 */
final class BreakpadCfi implements CfiMachine.Listener {
    private static final String CFA_NAME = ".cfa";
    private static final String RA_NAME = ".ra";

    private final CfiArchitecture architecture;
    private final long start;
    private final int returnAddress;
    private final Map<String, String> init = new TreeMap<>();
    private final Map<Long, Map<String, String>> changes = new TreeMap<>(Long::compareUnsigned);

    BreakpadCfi(CfiArchitecture architecture, long start, int returnAddress) {
        this.architecture = architecture;
        this.start = start;
        this.returnAddress = returnAddress;
        init.put(RA_NAME, architecture.name(returnAddress));
    }

    /** The records: INIT at {@code start - loadBase} of {@code size} bytes, then the changes. */
    void write(long loadBase, long size, List<SymbolData.StackCfi> out) {
        out.add(new SymbolData.StackCfi(start - loadBase, size, text(init)));
        changes.forEach((address, rules) -> out.add(new SymbolData.StackCfi(address - loadBase, null, text(rules))));
    }

    @Override
    public void cfa(long address, CfaRule rule) {
        if (rule instanceof CfiRules.RegisterOffset r) {
            record(address, CFA_NAME, name(r.register()) + " " + r.offset() + " +");
        }
    }

    @Override
    public void register(long address, int register, RegisterRule rule) {
        String name = name(register);
        String text = rule(name, rule);
        if (text != null) {
            record(address, name, text);
        } else if (rule instanceof CfiRules.Undefined) {
            Map<String, String> at = address == start ? init : changes.get(address);
            if (at != null) {
                at.remove(name);
                if (at != init && at.isEmpty()) {
                    changes.remove(address);
                }
            }
        }
    }

    private void record(long address, String name, String text) {
        (address == start ? init : changes.computeIfAbsent(address, a -> new TreeMap<>())).put(name, text);
    }

    private String name(int register) {
        return register == returnAddress ? RA_NAME : architecture.name(register);
    }

    /** A register rule's postfix text, or null for rules Breakpad's format does not carry. */
    private String rule(String ownName, RegisterRule rule) {
        if (rule instanceof CfiRules.Offset o) {
            return CFA_NAME + " " + o.offset() + " + ^";
        }
        if (rule instanceof CfiRules.ValOffset o) {
            return CFA_NAME + " " + o.offset() + " +";
        }
        if (rule instanceof CfiRules.Register r) {
            return name(r.register());
        }
        if (rule instanceof CfiRules.SameValue) {
            return ownName;
        }
        return null; // undefined, expressions
    }

    /** The rules in effect, as {@link CfiRules#breakpad()} gives them: name to postfix text, sorted. */
    static Map<String, String> ruleMap(CfiRules rules) {
        BreakpadCfi b = new BreakpadCfi(rules.architecture(), rules.start(), rules.returnAddressRegister());
        if (rules.cfa() != null) {
            b.cfa(rules.start(), rules.cfa());
        }
        rules.registers().forEach((r, rule) -> b.register(rules.start(), r, rule));
        return b.init;
    }

    /** {@code name: rule name: rule}. */
    static String text(Map<String, String> rules) {
        StringBuilder s = new StringBuilder();
        rules.forEach((name, rule) -> {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(name).append(": ").append(rule);
        });
        return s.toString();
    }
}
