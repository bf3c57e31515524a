package org.leakscope.symbols.dwarf;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to find the caller's registers at one address of a module: the rules in effect there after the CIE's
 * and the FDE's instructions up to that address ran. This is what the stack walker asks for.
 *
 * <p>To unwind: compute the CFA from {@link #cfa()}, then each register of the caller from its rule in
 * {@link #registers()}; a register without a rule keeps its value (same value) except as the architecture's
 * conventions say (the stack pointer is the CFA on x86-64, x86 and AArch64); the caller's pc is the value
 * recovered for {@link #returnAddressRegister()}, and it is undefined (no caller: the outermost frame) when that
 * register's rule is {@link Undefined}.
 *
 * @param start                 the FDE's first address (module offset)
 * @param end                   one past its last address
 * @param rowStart              the first address these exact rules apply to (the last location advance)
 * @param architecture          register numbering and names
 * @param cfa                   how to compute the canonical frame address
 * @param registers             rules by DWARF register number (the return address column included)
 * @param returnAddressRegister the CIE's return address column
 * @param signalFrame           the CIE's {@code S} augmentation: the pc is not a return address (don't subtract 1)
 */
public record CfiRules(long start, long end, long rowStart, CfiArchitecture architecture, CfaRule cfa,
        Map<Integer, RegisterRule> registers, int returnAddressRegister, boolean signalFrame) {
    public CfiRules {
        registers = Collections.unmodifiableMap(new TreeMap<>(registers));
    }

    /** The canonical frame address: a register plus an offset, or a DWARF expression. */
    public sealed interface CfaRule permits RegisterOffset, CfaExpression {
    }

    /** {@code CFA = register + offset} (DW_CFA_def_cfa and friends). */
    public record RegisterOffset(int register, long offset) implements CfaRule {
    }

    /** {@code CFA = } the value of this DWARF expression (DW_CFA_def_cfa_expression). */
    public record CfaExpression(Expression expression) implements CfaRule {
    }

    /** How one register of the caller is recovered. */
    public sealed interface RegisterRule permits Undefined, SameValue, Offset, ValOffset, Register, Saved,
            ValueOf {
    }

    /** Not recoverable (DW_CFA_undefined); for the return address column: the outermost frame. */
    public record Undefined() implements RegisterRule {
    }

    /** Unchanged from this frame (DW_CFA_same_value, or restored without a CIE rule). */
    public record SameValue() implements RegisterRule {
    }

    /** Saved at {@code CFA + offset} (DW_CFA_offset and friends). */
    public record Offset(long offset) implements RegisterRule {
    }

    /** The value is {@code CFA + offset} (DW_CFA_val_offset). */
    public record ValOffset(long offset) implements RegisterRule {
    }

    /** Held in another register of this frame (DW_CFA_register). */
    public record Register(int register) implements RegisterRule {
    }

    /** Saved at the address this expression computes, the CFA pushed first (DW_CFA_expression). */
    public record Saved(Expression expression) implements RegisterRule {
    }

    /** The value is what this expression computes, the CFA pushed first (DW_CFA_val_expression). */
    public record ValueOf(Expression expression) implements RegisterRule {
    }

    /** The bytes of a DWARF expression, compared by content. */
    public record Expression(byte[] bytes) {
        public Expression {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Expression e && Arrays.equals(bytes, e.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Expression[" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /** The rule for the return address, or null when the CIE and FDE name none. */
    public RegisterRule returnAddress() {
        return registers.get(returnAddressRegister);
    }

    /**
     * These rules as Breakpad's postfix text, as dump_syms writes them ({@code .cfa: $rsp 16 + .ra: .cfa -8 + ^
     * $rbp: .cfa -16 + ^}), sorted as dump_syms sorts them; expression and undefined rules are left out, as
     * dump_syms leaves them out.
     */
    public String breakpad() {
        return BreakpadCfi.text(BreakpadCfi.ruleMap(this));
    }
}
