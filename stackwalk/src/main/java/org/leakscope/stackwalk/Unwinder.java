package org.leakscope.stackwalk;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a frame's caller on one CPU. The ways to do it are tried in Breakpad's order for that CPU, the first that
 * gives a frame wins; {@link #caller} then checks the frame makes progress. Shared here: applying STACK CFI
 * rules, and scanning the stack for a word that could be a return address.
 */
abstract class Unwinder {
    /** Words scanned for a return address above a frame; four times as many above the context frame. */
    static final int SCAN_WORDS = 40;

    final StackMemory memory;
    final CodeLookup code;
    final int wordSize;

    Unwinder(StackMemory memory, CodeLookup code, int wordSize) {
        this.memory = memory;
        this.code = code;
        this.wordSize = wordSize;
    }

    abstract String ip();

    abstract String sp();

    abstract String fp();

    /** Every register the CPU's frames report, in the order they are listed. */
    abstract List<String> registers();

    /** The registers a callee preserves: a frame found by CFI keeps the callee's value when no rule names them. */
    abstract Set<String> calleeSaved();

    /** The name STACK CFI rules give a register: Breakpad's x86 and amd64 rules write {@code $rsp}. */
    String cfiName(String register) {
        return "$" + register;
    }

    /** The caller of the last frame, before the progress checks; null when no way finds one. */
    abstract WalkFrame findCaller(List<WalkFrame> frames, boolean scanAllowed);

    /** Why the last {@link #caller} call found none. */
    String end = "no caller found";

    /**
     * The caller of the last frame, or null at the end of the stack or when a caller would not make progress
     * ({@link #end} says which).
     */
    final WalkFrame caller(List<WalkFrame> frames, boolean scanAllowed) {
        WalkFrame last = frames.get(frames.size() - 1);
        WalkFrame next = findCaller(frames, scanAllowed);
        if (next == null || !next.isValid(ip()) || !next.isValid(sp())) {
            end = "no caller found";
            return null;
        }
        long ip = next.get(ip());
        long sp = next.get(sp());
        long calleeSp = last.get(sp());
        // an instruction pointer below 4 KB is the end of the stack; the stack pointer must grow (or, leaving the
        // context frame, may stay: a leaf keeps its return address in a register on some CPUs)
        if (Long.compareUnsigned(ip, 4096) < 0) {
            end = "the caller's instruction pointer is below 4 KB: the end of the stack";
            return null;
        }
        int c = Long.compareUnsigned(sp, calleeSp);
        boolean first = last.foundBy == FoundBy.CONTEXT;
        if (first ? c < 0 : c <= 0) {
            end = "the caller found (" + next.foundBy.word() + ") would not move the stack pointer up";
            return null;
        }
        return next;
    }

    /** Where a frame's code is: its instruction pointer for frame 0, one byte into the call for callers. */
    long instruction(WalkFrame f) {
        long ip = f.get(ip());
        return f.foundBy == FoundBy.CONTEXT ? ip : ip - 1;
    }

    /**
     * The caller by the STACK CFI rules in effect at the frame's instruction (from the module's symbol file, else
     * from its program file's DWARF or x64 unwind data); null without rules, when they fail, or when they do not
     * give {@code essentials}.
     */
    WalkFrame byCfi(WalkFrame last, Set<String> essentials) {
        long instruction = instruction(last);
        String rules = code.cfiRules(instruction).or(() -> code.programFileRules(instruction))
                .or(() -> code.capturedImageRules(instruction)).orElse(null);
        if (rules == null) {
            return null;
        }
        Map<String, Long> callee = new HashMap<>();
        for (String r : registers()) {
            if (last.isValid(r)) {
                callee.put(cfiName(r), last.get(r));
            }
        }
        Map<String, Long> caller = CfiRuleSet.caller(rules, callee, memory, wordSize);
        if (caller == null) {
            return null;
        }
        WalkFrame f = new WalkFrame(Map.of(), Set.of(), FoundBy.CFI);
        for (String r : registers()) {
            Long v = caller.get(cfiName(r));
            if (v == null && r.equals(ip())) {
                v = caller.get(".ra");
            } else if (v == null && r.equals(sp())) {
                v = caller.get(".cfa");
            }
            if (v == null && calleeSaved().contains(r) && last.isValid(r)) {
                v = last.get(r);
            }
            if (v != null) {
                f.set(r, v);
            }
        }
        for (String r : essentials) {
            if (!f.isValid(r)) {
                return null;
            }
        }
        return f;
    }

    /**
     * The first word at or above {@code start}, over {@code words} + 1 words, that could be a return address
     * ({@link CodeLookup#plausibleReturnAddress}) of a call: {location, value}, or null. The byte before it is what
     * is checked, as Breakpad does: a call to a function that never returns may be the last instruction of its
     * function, so its return address is already the next function's (or past its module's end).
     *
     * <p>Where the code bytes before a candidate are known (the dump's memory, else the module's program file),
     * one that does not follow a call instruction is passed over for the next candidate that follows one or whose
     * bytes are unknown: a stale code pointer (a function pointer argument, a saved callback) is not a return
     * address. Breakpad checks nothing of the sort; when no bytes are known this is its rule exactly, and when
     * every candidate in the window fails the check, the first is still taken, as Breakpad would.
     */
    long[] scan(long start, int words) {
        long[] first = null;
        for (int i = 0; i <= words; i++) {
            long location = start + (long) i * wordSize;
            Long v = memory.read(location, wordSize);
            if (v == null) {
                break;
            }
            if (code.plausibleReturnAddress(wordSize == 4 ? (v - 1) & 0xffffffffL : v - 1)) {
                if (!Boolean.FALSE.equals(code.followsCall(v))) {
                    return new long[] {location, v};
                }
                if (first == null) {
                    first = new long[] {location, v};
                }
            }
        }
        return first;
    }

    /** Scans above a frame: farther above the context frame, whose callee may have pushed more. */
    long[] scanAbove(WalkFrame last, long start) {
        return scan(start, last.foundBy == FoundBy.CONTEXT ? SCAN_WORDS * 4 : SCAN_WORDS);
    }

    boolean readable(long address) {
        return memory.read(address, wordSize) != null;
    }

    static Set<String> set(String... names) {
        return new HashSet<>(List.of(names));
    }
}
