package org.leakscope.stackwalk;

import java.util.List;
import java.util.Set;

/**
 * amd64: STACK CFI; then, leaving a Windows context frame, a return from a leaf function; then (not on Windows,
 * whose compilers do not keep {@code rbp} chains) the frame-pointer chain; then a stack scan.
 */
final class Amd64Unwinder extends Unwinder {
    private static final List<String> REGISTERS = List.of("rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip");
    private static final Set<String> CALLEE_SAVED = set("rbx", "rbp", "r12", "r13", "r14", "r15");
    private static final Set<String> ESSENTIALS = set("rip", "rsp");

    private final boolean windows;

    Amd64Unwinder(StackMemory memory, CodeLookup code, boolean windows) {
        super(memory, code, 8);
        this.windows = windows;
    }

    @Override
    String ip() {
        return "rip";
    }

    @Override
    String sp() {
        return "rsp";
    }

    @Override
    String fp() {
        return "rbp";
    }

    @Override
    List<String> registers() {
        return REGISTERS;
    }

    @Override
    Set<String> calleeSaved() {
        return CALLEE_SAVED;
    }

    @Override
    WalkFrame findCaller(List<WalkFrame> frames, boolean scanAllowed) {
        WalkFrame last = frames.get(frames.size() - 1);
        WalkFrame f = byCfi(last, ESSENTIALS);
        if (f != null && f.get("rip") == 0) {
            f = null; // a return address of 0 ends the stack
        }
        if (f == null && windows && last.foundBy == FoundBy.CONTEXT) {
            f = leafReturn(last);
        }
        if (f == null && !windows) {
            f = byFramePointer(last);
        }
        if (f == null && scanAllowed) {
            f = byScan(last);
        }
        return f;
    }

    /** A leaf that has not moved the stack pointer: its return address is the word at (or just above) rsp. */
    private WalkFrame leafReturn(WalkFrame last) {
        long[] found = scan(last.get("rsp"), 1);
        if (found == null) {
            return null;
        }
        WalkFrame f = new WalkFrame(last.context, last.valid, FoundBy.LEAF);
        f.set("rip", found[1]);
        f.set("rsp", found[0] + 8);
        return f;
    }

    /** rbp points at the saved caller rbp, with the return address above it. */
    private WalkFrame byFramePointer(WalkFrame last) {
        Long rbp = last.get("rbp");
        if (rbp == null || rbp % 8 != 0) {
            return null;
        }
        Long rip = memory.read(rbp + 8, 8);
        Long callerRbp = memory.read(rbp, 8);
        if (rip == null || callerRbp == null || nonCanonical(rip)) {
            return null;
        }
        long rsp = rbp + 16;
        if (Long.compareUnsigned(rsp, last.get("rsp")) <= 0 || Long.compareUnsigned(callerRbp, rsp) < 0
                || !readable(callerRbp)) {
            return null;
        }
        WalkFrame f = new WalkFrame(last.context, Set.of(), FoundBy.FRAME_POINTER);
        f.set("rip", rip);
        f.set("rsp", rsp);
        f.set("rbp", callerRbp);
        return f;
    }

    /** Not a user or kernel address of a 48-bit address space: cannot be a return address. */
    private static boolean nonCanonical(long address) {
        return Long.compareUnsigned(address, 0x7fffffffffffL) > 0
                && Long.compareUnsigned(address, 0xffff800000000000L) < 0;
    }

    private WalkFrame byScan(WalkFrame last) {
        long[] found = scanAbove(last, last.get("rsp"));
        if (found == null) {
            return null;
        }
        long location = found[0];
        WalkFrame f = new WalkFrame(last.context, Set.of(), FoundBy.SCAN);
        f.set("rip", found[1]);
        f.set("rsp", location + 8);
        // a callee usually pushes the caller's rbp right below the return address and points rbp at it; or it
        // left rbp alone, if rbp still points above the return address
        if (last.isValid("rbp")) {
            long rbp = last.get("rbp");
            if (location - 8 == rbp) {
                Long saved = memory.read(rbp, 8);
                if (saved != null && Long.compareUnsigned(saved, location) > 0) {
                    f.set("rbp", saved);
                }
            } else if (Long.compareUnsigned(rbp, location + 8) >= 0) {
                f.set("rbp", rbp);
            }
        }
        return f;
    }
}
