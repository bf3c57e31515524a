package org.leakscope.symbols;

import java.util.ArrayList;
import java.util.List;

/**
 * The unwind program in effect for an address of an x64 image: its RUNTIME_FUNCTION and the chain of
 * UNWIND_INFO records that applies to it, the entry's own first, then each chained one (the chain was followed
 * with a depth limit and loop detection when this was built).
 */
public record X64UnwindProgram(X64RuntimeFunction function, List<X64UnwindInfo> chain) {
    public X64UnwindProgram {
        chain = List.copyOf(chain);
    }

    /**
     * The operations that have run when execution is at {@code rva}, in unwinding order (undo the first one
     * first), as the Windows unwinder applies them: in the entry's own prolog only those whose instruction has
     * executed (prolog offset at most the address's offset from the entry's start), past its prolog all of them;
     * and all of every chained record's (that code ran before this part was entered). EPILOG and spare codes
     * describe no prolog instruction and are left out. Whether the address is inside an epilog (whose
     * instructions undo the prolog's) only the code bytes tell; that is the stack walker's to check.
     */
    public List<X64UnwindCode> codesInEffect(long rva) {
        List<X64UnwindCode> out = new ArrayList<>();
        long offset = rva - function.begin();
        for (int i = 0; i < chain.size(); i++) {
            X64UnwindInfo info = chain.get(i);
            boolean inProlog = i == 0 && offset >= 0 && offset < info.prologSize();
            for (X64UnwindCode c : info.codes()) {
                if (c.op() == X64UnwindCode.Op.EPILOG || c.op() == X64UnwindCode.Op.SPARE) {
                    continue;
                }
                if (!inProlog || c.prologOffset() <= offset) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * The Breakpad {@code STACK CFI INIT} rules for the whole entry, as mozilla's dump_syms writes them: the
     * state after the complete prolog (CFA, callee-saved registers, return address), applied to every address.
     */
    public String stackCfiRules() {
        return X64StackCfi.rules(this);
    }
}
