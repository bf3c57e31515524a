package org.leakscope.symbols.dwarf;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.leakscope.model.InputFormatException;
import org.leakscope.symbols.dwarf.CfiRules.CfaRule;
import org.leakscope.symbols.dwarf.CfiRules.RegisterRule;

/**
 * The DWARF call frame instruction interpreter: runs a CIE's initial instructions, then an FDE's, keeping the
 * CFA rule and one rule per register, and tells a {@link Listener} of every rule an instruction sets, at the
 * location it sets it (as Breakpad's CallFrameInfo reports to DwarfCFIToModule). {@code DW_CFA_restore_state}
 * reports what differs from the state it restores (a rule it drops as same value).
 *
 * <p>Everything is bounded by the entry: each instruction consumes at least one byte of it, so a stream ends;
 * the {@code remember_state} stack holds at most {@link #MAX_SAVED_STATES} states.
 */
final class CfiMachine {
    /** Deeper {@code DW_CFA_remember_state} nesting than any compiler emits: the entry is damaged. */
    static final int MAX_SAVED_STATES = 64;
    /** The pseudo register number the listener is told the CFA rule under. */
    static final int CFA = -1;

    /** Receives the rules as the instructions set them. */
    interface Listener {
        void cfa(long address, CfaRule rule);

        void register(long address, int register, RegisterRule rule);
    }

    /** The CFA rule and the register rules at one moment. */
    static final class State {
        CfaRule cfa;
        Map<Integer, RegisterRule> registers = new HashMap<>();

        State copy() {
            State s = new State();
            s.cfa = cfa;
            s.registers = new HashMap<>(registers);
            return s;
        }
    }

    private final CfiEntries entries;
    private final CfiEntries.Fde fde;
    private final Listener listener;
    private final CfiEntries.Cie cie;
    private State state = new State();
    private State cieState;
    private final Deque<State> saved = new ArrayDeque<>();
    private long location;

    CfiMachine(CfiEntries entries, CfiEntries.Fde fde, Listener listener) {
        this.entries = entries;
        this.fde = fde;
        this.cie = fde.cie();
        this.listener = listener;
    }

    /**
     * Runs the CIE's and the FDE's instructions, stopping before the first location advance past
     * {@code stopAfter} (so the state is the one in effect at {@code stopAfter}); the location the last row
     * started at is {@link #location()}. A damaged instruction throws, with the rules reported so far kept.
     */
    State run(long stopAfter) {
        location = fde.pcBegin();
        execute(cie.instructionsStart(), cie.instructionsEnd(), true, Long.MAX_VALUE);
        cieState = state.copy();
        execute(fde.instructionsStart(), fde.instructionsEnd(), false, stopAfter);
        return state;
    }

    long location() {
        return location;
    }

    private void execute(long from, long to, boolean inCie, long stopAfter) {
        CfiCursor c = new CfiCursor(entries.section(), from, to);
        while (!c.atEnd()) {
            long at = c.position();
            int op = c.u8();
            int high = op & 0xc0;
            int low = op & 0x3f;
            if (high == 0x40) {
                if (!advance(low * cie.codeAlign(), stopAfter)) {
                    return;
                }
                continue;
            }
            if (high == 0x80) {
                setRegister(low, new CfiRules.Offset(c.uleb() * cie.dataAlign()));
                continue;
            }
            if (high == 0xc0) {
                restore(at, inCie, low);
                continue;
            }
            switch (op) {
                case 0x00 -> { } // DW_CFA_nop
                case 0x01 -> { // DW_CFA_set_loc
                    long to2 = entries.section().eh()
                            ? c.pointer(cie.fdeEncoding(), cie.addressSize(), entries.bases(), fde.pcBegin())
                            : c.unsigned(cie.addressSize());
                    if (Long.compareUnsigned(to2, stopAfter) > 0) {
                        return;
                    }
                    location = to2;
                }
                case 0x02 -> {
                    if (!advance(c.u8() * cie.codeAlign(), stopAfter)) {
                        return;
                    }
                }
                case 0x03 -> {
                    if (!advance(c.u16() * cie.codeAlign(), stopAfter)) {
                        return;
                    }
                }
                case 0x04 -> {
                    if (!advance(c.u32() * cie.codeAlign(), stopAfter)) {
                        return;
                    }
                }
                case 0x05 -> setRegister(reg(c), new CfiRules.Offset(c.uleb() * cie.dataAlign()));
                case 0x06 -> restore(at, inCie, reg(c));
                case 0x07 -> setRegister(reg(c), new CfiRules.Undefined());
                case 0x08 -> setRegister(reg(c), new CfiRules.SameValue());
                case 0x09 -> {
                    int r = reg(c);
                    setRegister(r, new CfiRules.Register(reg(c)));
                }
                case 0x0a -> { // DW_CFA_remember_state
                    if (saved.size() >= MAX_SAVED_STATES) {
                        throw error(at, "at most " + MAX_SAVED_STATES + " nested DW_CFA_remember_state",
                                "more");
                    }
                    saved.push(state.copy());
                }
                case 0x0b -> restoreState(at);
                case 0x0c -> {
                    int r = reg(c);
                    setCfa(new CfiRules.RegisterOffset(r, c.uleb()));
                }
                case 0x0d -> setCfa(new CfiRules.RegisterOffset(reg(c), cfaOffset(at, "DW_CFA_def_cfa_register")));
                case 0x0e -> setCfa(new CfiRules.RegisterOffset(cfaRegister(at, "DW_CFA_def_cfa_offset"), c.uleb()));
                case 0x0f -> setCfa(new CfiRules.CfaExpression(expression(c)));
                case 0x10 -> {
                    int r = reg(c);
                    setRegister(r, new CfiRules.Saved(expression(c)));
                }
                case 0x11 -> {
                    int r = reg(c);
                    setRegister(r, new CfiRules.Offset(c.sleb() * cie.dataAlign()));
                }
                case 0x12 -> {
                    int r = reg(c);
                    setCfa(new CfiRules.RegisterOffset(r, c.sleb() * cie.dataAlign()));
                }
                case 0x13 -> setCfa(new CfiRules.RegisterOffset(cfaRegister(at, "DW_CFA_def_cfa_offset_sf"),
                        c.sleb() * cie.dataAlign()));
                case 0x14 -> {
                    int r = reg(c);
                    setRegister(r, new CfiRules.ValOffset(c.uleb() * cie.dataAlign()));
                }
                case 0x15 -> {
                    int r = reg(c);
                    setRegister(r, new CfiRules.ValOffset(c.sleb() * cie.dataAlign()));
                }
                case 0x16 -> {
                    int r = reg(c);
                    setRegister(r, new CfiRules.ValueOf(expression(c)));
                }
                case 0x2d -> { } // DW_CFA_GNU_window_save (SPARC); AArch64's negate_ra_state: pointer auth, no rule
                case 0x2e -> c.uleb(); // DW_CFA_GNU_args_size: outgoing arguments, nothing to unwind
                case 0x2f -> { // DW_CFA_GNU_negative_offset_extended
                    int r = reg(c);
                    setRegister(r, new CfiRules.Offset(-c.uleb() * cie.dataAlign()));
                }
                default -> throw error(at, "a DW_CFA_* instruction", String.format("opcode 0x%02x", op));
            }
        }
    }

    /** Moves the location on by {@code delta}; false (and not moved) when that passes {@code stopAfter}. */
    private boolean advance(long delta, long stopAfter) {
        long next = location + delta;
        if (Long.compareUnsigned(next, stopAfter) > 0) {
            return false;
        }
        location = next;
        return true;
    }

    private static int reg(CfiCursor c) {
        long r = c.uleb();
        if (r < 0 || r > 0xffff) {
            throw c.error("a DWARF register number", Long.toUnsignedString(r));
        }
        return (int) r;
    }

    private static CfiRules.Expression expression(CfiCursor c) {
        long len = c.uleb();
        if (len < 0 || len > c.limit() - c.position()) {
            throw c.error("a DWARF expression inside the entry", Long.toUnsignedString(len) + " bytes");
        }
        return new CfiRules.Expression(c.bytes(len));
    }

    private long cfaOffset(long at, String op) {
        if (state.cfa instanceof CfiRules.RegisterOffset r) {
            return r.offset();
        }
        throw error(at, op + " after a register-and-offset CFA rule", state.cfa == null ? "no CFA rule"
                : "a CFA expression");
    }

    private int cfaRegister(long at, String op) {
        if (state.cfa instanceof CfiRules.RegisterOffset r) {
            return r.register();
        }
        throw error(at, op + " after a register-and-offset CFA rule", state.cfa == null ? "no CFA rule"
                : "a CFA expression");
    }

    private void setCfa(CfaRule rule) {
        state.cfa = rule;
        listener.cfa(location, rule);
    }

    private void setRegister(int register, RegisterRule rule) {
        state.registers.put(register, rule);
        listener.register(location, register, rule);
    }

    private void restore(long at, boolean inCie, int register) {
        if (inCie) {
            throw error(at, "DW_CFA_restore only in an FDE", "one in a CIE");
        }
        RegisterRule r = cieState.registers.get(register);
        // No CIE rule: callee-saved registers are unchanged by convention, so "same value" (as Breakpad does).
        setRegister(register, r != null ? r : new CfiRules.SameValue());
    }

    private void restoreState(long at) {
        State to = saved.poll();
        if (to == null) {
            throw error(at, "DW_CFA_restore_state after a DW_CFA_remember_state", "an empty state stack");
        }
        if (!Objects.equals(state.cfa, to.cfa) && to.cfa != null) {
            listener.cfa(location, to.cfa);
        }
        Set<Integer> all = new HashSet<>(state.registers.keySet());
        all.addAll(to.registers.keySet());
        all.stream().sorted().forEach(r -> {
            RegisterRule now = state.registers.get(r);
            RegisterRule then = to.registers.get(r);
            if (!Objects.equals(now, then)) {
                listener.register(location, r, then != null ? then : new CfiRules.SameValue());
            }
        });
        CfaRule keep = to.cfa != null ? to.cfa : state.cfa;
        state = to;
        state.cfa = keep;
    }

    private InputFormatException error(long at, String expected, String found) {
        return entries.section().error(at, expected, found);
    }
}
