package org.leakscope.symbols;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * Breakpad STACK CFI rules from x64 unwind codes, in the spelling of mozilla's dump_syms (through symbolic-cfi),
 * so a {@code .sym} made here and one made by dump_syms agree. dump_syms writes one INIT record per
 * RUNTIME_FUNCTION with the state after the complete prolog; {@link #records} can add a record at each prolog
 * offset, so an address inside a prolog (a stack overflow faults in the __chkstk call before the allocation)
 * gets the rules in effect there.
 *
 * <ul>
 * <li>CFA: {@code $rsp N +} with N the bytes pushed and allocated so far plus the return address; after
 * SET_FPREG, {@code $rbp M +} where M is the stack size when it ran minus the frame offset.</li>
 * <li>A pushed register: {@code .cfa N - ^}, N the stack size after its push. A register saved with a MOV
 * relative to RSP: {@code .cfa (size - offset) - ^}, size the stack size the MOV's RSP has at that point;
 * relative to the frame register: {@code $fp (offset - frameOffset) + ^}. The number may be negative (a save in
 * the caller's home space, above the CFA); the reference .sym in the corpus, written by an older symbolic-cfi
 * that subtracted unsigned, has 0 there instead.</li>
 * <li>A machine frame: {@code $rsp} and the return address read from it; else {@code .ra: .cfa 8 - ^}.</li>
 * <li>XMM saves have no rule (Breakpad's x64 register set has none for them).</li>
 * </ul>
 *
 * <p>Chained records describe code that ran before the entry's own prolog (the parent function's prolog), so
 * their codes are applied first, the root's first. (symbolic-cfi applies them after the entry's own; that gives
 * other push offsets when both push, and no corpus file has chained records to compare.)
 */
final class X64StackCfi {
    private X64StackCfi() {
    }

    /** The rules after the complete prolog, as one INIT record's text. */
    static String rules(X64UnwindProgram program) {
        return text(state(program, Integer.MAX_VALUE));
    }

    /**
     * The INIT record for the entry; with {@code prologSteps}, its rules are those at the entry's first byte and
     * a record follows at each prolog offset where an instruction changed them.
     */
    static List<SymbolData.StackCfi> records(X64UnwindProgram program, boolean prologSteps) {
        X64RuntimeFunction f = program.function();
        long size = f.end() - f.begin();
        if (!prologSteps) {
            return List.of(new SymbolData.StackCfi(f.begin(), size, rules(program)));
        }
        List<SymbolData.StackCfi> out = new ArrayList<>();
        Map<String, String> before = state(program, -1);
        out.add(new SymbolData.StackCfi(f.begin(), size, text(before)));
        program.chain().get(0).codes().stream().filter(X64StackCfi::prolog).mapToInt(X64UnwindCode::prologOffset)
                .distinct().sorted().filter(p -> p < size).forEach(p -> {
                    Map<String, String> now = state(program, p);
                    StringBuilder changed = new StringBuilder();
                    now.forEach((reg, rule) -> {
                        if (!rule.equals(before.get(reg))) {
                            changed.append(changed.length() == 0 ? "" : " ").append(reg).append(": ").append(rule);
                        }
                    });
                    before.clear();
                    before.putAll(now);
                    if (changed.length() > 0) {
                        out.add(new SymbolData.StackCfi(f.begin() + p, null, changed.toString()));
                    }
                });
        return out;
    }

    private static boolean prolog(X64UnwindCode c) {
        return c.op() != X64UnwindCode.Op.EPILOG && c.op() != X64UnwindCode.Op.SPARE;
    }

    /** A register saved with a MOV relative to RSP: its rule needs the stack size at the point asked for. */
    private record RspSave(String register, int offset) {
    }

    /**
     * The rules once the entry's own prolog codes up to offset {@code limit} and all chained codes have run:
     * register (or {@code .cfa}, {@code .ra}) to rule, in dump_syms' order. Ints wrap as symbolic-cfi's i32 do.
     */
    private static Map<String, String> state(X64UnwindProgram program, int limit) {
        int stack = 8; // the return address
        boolean machineFrame = false;
        String cfa = null;
        // a register saved again keeps its first place in the text, with the later rule (the one in effect)
        Map<String, Object> saved = new LinkedHashMap<>();
        List<X64UnwindInfo> chain = program.chain();
        for (int k = chain.size() - 1; k >= 0; k--) {
            X64UnwindInfo info = chain.get(k);
            String fp = X64UnwindCode.register(info.frameRegister());
            List<X64UnwindCode> codes = info.codes();
            for (int i = codes.size() - 1; i >= 0; i--) { // execution order
                X64UnwindCode c = codes.get(i);
                if (k == 0 && c.prologOffset() > limit || !prolog(c)) {
                    continue;
                }
                int operand = (int) c.operand();
                String reg = X64UnwindCode.register(c.info());
                switch (c.op()) {
                    case PUSH_NONVOL -> {
                        stack += 8;
                        saved.put(reg, ".cfa " + stack + " - ^");
                    }
                    case ALLOC_LARGE, ALLOC_SMALL -> stack += operand;
                    case SET_FPREG -> cfa = fp + " " + (stack - info.frameOffset()) + " +";
                    case SAVE_NONVOL, SAVE_NONVOL_FAR -> saved.put(reg, info.frameRegister() == 0
                            ? new RspSave(reg, operand) : fp + " " + (operand - info.frameOffset()) + " + ^");
                    case PUSH_MACHFRAME -> {
                        saved.put("$rsp", ".cfa " + (stack + 16) + " - ^");
                        saved.put(".ra", ".cfa " + (stack + 40) + " - ^");
                        stack += 40 + (c.info() == 1 ? 8 : 0);
                        machineFrame = true;
                    }
                    default -> {
                        // XMM saves move nothing Breakpad has a rule for
                    }
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(".cfa", cfa != null ? cfa : "$rsp " + stack + " +");
        for (Map.Entry<String, Object> e : saved.entrySet()) {
            out.put(e.getKey(), e.getValue() instanceof RspSave s ? ".cfa " + (stack - s.offset()) + " - ^"
                    : (String) e.getValue());
        }
        if (!machineFrame) {
            out.put(".ra", ".cfa 8 - ^");
        }
        return out;
    }

    private static String text(Map<String, String> rules) {
        StringBuilder sb = new StringBuilder();
        rules.forEach((reg, rule) -> sb.append(sb.length() == 0 ? "" : " ").append(reg).append(": ").append(rule));
        return sb.toString();
    }
}
