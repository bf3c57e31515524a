package org.leakscope.stackwalk;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * x86: a STACK WIN record (frame data program, or FPO data turned into one), then STACK CFI, then the
 * {@code ebp} chain, scanning the stack where those fail, as Breakpad's x86 walker does.
 */
final class X86Unwinder extends Unwinder {
    private static final List<String> REGISTERS = List.of("eip", "esp", "ebp", "eax", "ebx", "ecx", "edx", "esi",
            "edi");
    private static final Set<String> CALLEE_SAVED = set("ebp", "ebx", "esi", "edi");
    private static final Set<String> ESSENTIALS = set("eip", "esp", "ebp");
    private static final long MASK = 0xffffffffL;
    /** A saved ebp further than this above where it is stored is not the caller's frame. */
    private static final long MAX_GAP_BETWEEN_FRAMES = 128 * 1024;
    private static final int FPO = 0;

    /** The first frame's parameter size that is known, and how many frames were looked at for it. */
    private long firstParameterSize = -1;
    private int parameterSizesSeen;

    X86Unwinder(StackMemory memory, CodeLookup code) {
        super(memory, code, 4);
    }

    @Override
    String ip() {
        return "eip";
    }

    @Override
    String sp() {
        return "esp";
    }

    @Override
    String fp() {
        return "ebp";
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
        long instruction = instruction(last) & MASK;
        SymbolData.StackWin win = code.stackWin(instruction).orElse(null);
        WalkFrame f = null;
        if (win != null) {
            last.parameterSize = win.paramSize();
            f = byStackWin(frames, win, scanAllowed);
        } else {
            // a FUNC's parameter size alone does not find the caller, but tells that caller's walk how much
            // its callee's arguments take on the stack
            last.parameterSize = code.parameterSize(instruction);
        }
        if (f == null) {
            f = byCfi(last, ESSENTIALS);
        }
        if (f == null) {
            f = byFramePointer(last, scanAllowed);
        }
        return f;
    }

    private WalkFrame byStackWin(List<WalkFrame> frames, SymbolData.StackWin win, boolean scanAllowed) {
        WalkFrame last = frames.get(frames.size() - 1);
        // Breakpad's rule (its loop over the callees keeps the last it sees): the parameter size of the innermost
        // frame of the whole stack that has one; found once, since frames below this one do not change
        for (; firstParameterSize < 0 && parameterSizesSeen <= frames.size() - 2; parameterSizesSeen++) {
            firstParameterSize = frames.get(parameterSizesSeen).parameterSize;
        }
        long calleeParams = Math.max(0, firstParameterSize);
        long esp = last.get("esp");
        Map<String, Long> dict = new HashMap<>();
        dict.put("$ebp", last.get("ebp") == null ? 0 : last.get("ebp"));
        dict.put("$esp", esp);
        if (last.isValid("ebx")) {
            dict.put("$ebx", last.get("ebx"));
        }
        dict.put(".cbCalleeParams", calleeParams);
        dict.put(".cbSavedRegs", win.savedRegisterSize());
        dict.put(".cbLocals", win.localSize());
        long raSearchStart = (esp + calleeParams + win.localSize() + win.savedRegisterSize()) & MASK;
        long raSearchStartOld = raSearchStart;
        long[] found = scan(raSearchStart, 3);
        if (found != null) {
            raSearchStart = found[0];
            // an FPO system call that has returned: the word at the top of the stack is the current instruction
            if (last.foundBy == FoundBy.CONTEXT && win.type() == FPO && raSearchStartOld == raSearchStart
                    && found[1] == last.get("eip")) {
                raSearchStart += 4;
                long[] again = scan(raSearchStart, 3);
                if (again != null) {
                    raSearchStart = again[0];
                }
            }
        }
        dict.put(".cbParams", win.paramSize());
        String program;
        boolean recoverEbp = true;
        if (win.hasProgram() && win.program() != null && !win.program().isBlank()) {
            program = win.program();
        } else if (win.allocatesBasePointer()) {
            program = "$eip .raSearchStart ^ = $ebp $esp .cbCalleeParams + .cbSavedRegs + 8 - ^ = "
                    + "$esp .raSearchStart 4 + =";
        } else {
            program = "$eip .raSearchStart ^ = $esp .raSearchStart 4 + =";
            if (last.isValid("ebx")) {
                program += " $ebx $ebx =";
            }
            recoverEbp = false;
        }
        // the stack was aligned ("@"): esp-relative searches are off, ebp is the only anchor
        if (last.isValid("ebp") && program.indexOf('@') >= 0) {
            raSearchStart = (last.get("ebp") + 4) & MASK;
        }
        dict.put(".raSearchStart", raSearchStart);
        dict.put(".raSearch", raSearchStart);
        Set<String> assigned = new HashSet<>();
        FoundBy foundBy = FoundBy.CFI;
        if (!Postfix.run(program, dict, memory, 4, assigned) || !assigned.contains("$eip")
                || !assigned.contains("$esp")) {
            long[] scanned = scanAllowed ? scanAbove(last, esp) : null;
            if (scanned == null) {
                return null;
            }
            dict.put("$eip", scanned[1]);
            dict.put("$esp", (scanned[0] + 4) & MASK);
            foundBy = FoundBy.SCAN;
        }
        long eip = dict.getOrDefault("$eip", 0L);
        if (eip != 0 || dict.getOrDefault("$ebp", 0L) != 0) {
            long offset = 0;
            if (code.module(eip).isEmpty()) {
                long start = (dict.get(".raSearchStart") + 4) & MASK;
                long[] better = scanAllowed ? scanAbove(last, start) : null;
                if (better != null) {
                    dict.put("$eip", better[1]);
                    dict.put("$esp", (better[0] + 4) & MASK);
                    offset = better[0] - start;
                    foundBy = FoundBy.CFI_SCAN;
                }
            }
            if (recoverEbp) {
                recoverEbp(dict, last, win, calleeParams, raSearchStart, offset, foundBy);
            }
        }
        WalkFrame f = new WalkFrame(last.context, Set.of(), foundBy);
        f.set("eip", dict.getOrDefault("$eip", 0L));
        f.set("esp", dict.getOrDefault("$esp", 0L));
        f.set("ebp", dict.getOrDefault("$ebp", 0L));
        for (String r : List.of("ebx", "esi", "edi")) {
            if (assigned.contains("$" + r)) {
                f.set(r, dict.get("$" + r));
            }
        }
        return f;
    }

    /**
     * When the program's ebp is not a stack address, or frames were skipped by a scan, looks for the saved ebp
     * in the saved-register area, highest first (a prolog saves ebp early): the first word pointing into the
     * stack.
     */
    private void recoverEbp(Map<String, Long> dict, WalkFrame last, SymbolData.StackWin win, long calleeParams,
            long raSearchStart, long offset, FoundBy foundBy) {
        long ebp = dict.getOrDefault("$ebp", 0L);
        boolean skippedFrames = foundBy != FoundBy.CFI && Long.compareUnsigned(ebp, raSearchStart + offset) <= 0;
        if (!skippedFrames && readable(ebp)) {
            return;
        }
        long searchBytes = win.savedRegisterSize() + offset;
        long end = last.get("esp") + calleeParams;
        for (long location = end + searchBytes; location >= end; location -= 4) {
            Long candidate = memory.read(location, 4);
            if (candidate == null) {
                break;
            }
            if (readable(candidate)) {
                dict.put("$ebp", candidate);
                break;
            }
        }
    }

    /**
     * ebp points at the saved caller ebp, with the return address above it; when ebp does not point into the
     * stack, a scan, which then tries to restore the ebp chain from the word below the return address.
     */
    private WalkFrame byFramePointer(WalkFrame last, boolean scanAllowed) {
        long ebp = last.get("ebp") == null ? 0 : last.get("ebp");
        Long eip = memory.read(ebp + 4, 4);
        Long callerEbp = memory.read(ebp, 4);
        long esp;
        FoundBy foundBy;
        if (eip != null && callerEbp != null) {
            esp = (ebp + 8) & MASK;
            foundBy = FoundBy.FRAME_POINTER;
        } else {
            long[] found = scanAllowed ? scanAbove(last, last.get("esp")) : null;
            if (found == null) {
                return null;
            }
            eip = found[1];
            esp = (found[0] + 4) & MASK;
            long chain = esp - 8;
            callerEbp = memory.read(chain, 4);
            if (callerEbp == null || Long.compareUnsigned(callerEbp, chain) <= 0
                    || callerEbp - chain > MAX_GAP_BETWEEN_FRAMES) {
                callerEbp = ebp;
            }
            foundBy = FoundBy.SCAN;
        }
        WalkFrame f = new WalkFrame(last.context, Set.of(), foundBy);
        f.set("eip", eip);
        f.set("esp", esp);
        f.set("ebp", callerEbp);
        return f;
    }
}
