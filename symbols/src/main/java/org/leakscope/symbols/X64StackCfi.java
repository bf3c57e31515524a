package org.leakscope.symbols;

import java.util.List;

/**
 * Breakpad STACK CFI rules from x64 unwind codes, written the way mozilla's dump_syms writes them (through
 * symbolic-cfi), so a {@code .sym} made here and one made by dump_syms agree: one INIT record per
 * RUNTIME_FUNCTION with the state after the complete prolog, the chained records' codes continuing the primary
 * record's stack size.
 *
 * <ul>
 * <li>CFA: {@code $rsp N +} with N the bytes the prolog pushed and allocated plus the return address; with a
 * frame register, {@code $rbp M +} where M is the stack size when SET_FPREG ran minus the frame offset.</li>
 * <li>A pushed register: {@code .cfa N - ^}, N the stack size after its push. A register saved with a MOV:
 * {@code .cfa (size - offset) - ^} without a frame register, {@code $fp (offset - frameOffset) + ^} with one
 * (the offset is from RSP as it was when the frame register was set). The value may be negative or point above
 * the CFA (the caller's home space): dump_syms writes it as it comes.</li>
 * <li>A machine frame: {@code $rsp} and the return address read from it; else {@code .ra: .cfa 8 - ^}.</li>
 * <li>XMM saves have no rule (Breakpad's x64 register set has none for them).</li>
 * </ul>
 */
final class X64StackCfi {
    private X64StackCfi() {
    }

    static String rules(X64UnwindProgram program) {
        int stack = 8; // the return address; ints wrap as dump_syms' i32 arithmetic does
        int machineFrame = 0;
        StringBuilder cfa = new StringBuilder();
        StringBuilder saved = new StringBuilder();
        for (X64UnwindInfo info : program.chain()) {
            List<X64UnwindCode> codes = info.codes();
            String fp = X64UnwindCode.register(info.frameRegister());
            for (int i = codes.size() - 1; i >= 0; i--) { // prolog order
                X64UnwindCode c = codes.get(i);
                int operand = (int) c.operand();
                switch (c.op()) {
                    case PUSH_NONVOL -> {
                        stack += 8;
                        saved.append(' ').append(X64UnwindCode.register(c.info())).append(": .cfa ").append(stack)
                                .append(" - ^");
                    }
                    case ALLOC_LARGE, ALLOC_SMALL -> stack += operand;
                    case SET_FPREG -> cfa.append(".cfa: ").append(fp).append(' ').append(stack - info.frameOffset())
                            .append(" +");
                    case SAVE_NONVOL, SAVE_NONVOL_FAR -> {
                        saved.append(' ').append(X64UnwindCode.register(c.info())).append(": ");
                        if (info.frameRegister() == 0) {
                            saved.append(".cfa ").append(stack - operand).append(" - ^");
                        } else {
                            saved.append(fp).append(' ').append(operand - info.frameOffset()).append(" + ^");
                        }
                    }
                    case PUSH_MACHFRAME -> {
                        saved.append(" $rsp: .cfa ").append(stack + 16).append(" - ^ .ra: .cfa ").append(stack + 40)
                                .append(" - ^");
                        stack += 40;
                        machineFrame = stack;
                        stack += c.info() == 1 ? 8 : 0;
                    }
                    default -> {
                        // XMM saves, epilog locations and spare codes move nothing Breakpad has a rule for
                    }
                }
            }
        }
        if (cfa.length() == 0) {
            cfa.append(".cfa: $rsp ").append(stack).append(" +");
        }
        if (machineFrame == 0) {
            saved.append(" .ra: .cfa 8 - ^");
        }
        return cfa.append(saved).toString();
    }
}
