package org.leakscope.stackwalk;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * arm64: STACK CFI, then the frame-pointer chain ({@code x29} pointing at the saved {@code x29} and {@code x30}),
 * then a stack scan, as Breakpad's arm64 walker. The return address lives in {@code lr} ({@code x30}) until a
 * function saves it, so the first caller is often {@code lr} itself. Return addresses may carry pointer
 * authentication bits above the address space, stripped with a mask made from the highest module's end.
 */
final class Arm64Unwinder extends Unwinder {
    private static final List<String> REGISTERS;
    private static final Set<String> CALLEE_SAVED = set("x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26",
            "x27", "x28", "fp");
    private static final Set<String> ESSENTIALS = set("sp", "pc");

    static {
        List<String> r = new ArrayList<>();
        for (int i = 0; i <= 28; i++) {
            r.add("x" + i);
        }
        r.addAll(List.of("fp", "lr", "sp", "pc"));
        REGISTERS = List.copyOf(r);
    }

    private final long addressMask;

    /** @param highestModuleEnd base + size of the last module of the dump's list, or 0 without modules */
    Arm64Unwinder(StackMemory memory, CodeLookup code, long highestModuleEnd) {
        super(memory, code, 8);
        long mask = highestModuleEnd;
        if (mask == 0) {
            mask = -1;
        }
        for (int shift = 1; shift <= 32; shift <<= 1) {
            mask |= mask >>> shift;
        }
        this.addressMask = mask;
    }

    @Override
    String ip() {
        return "pc";
    }

    @Override
    String sp() {
        return "sp";
    }

    @Override
    String fp() {
        return "fp";
    }

    @Override
    List<String> registers() {
        return REGISTERS;
    }

    @Override
    Set<String> calleeSaved() {
        return CALLEE_SAVED;
    }

    /** Breakpad's arm64 rules name registers without a {@code $}, and fp and lr by number. */
    @Override
    String cfiName(String register) {
        return switch (register) {
            case "fp" -> "x29";
            case "lr" -> "x30";
            default -> register;
        };
    }

    /** Instructions are 4 bytes: a caller's call instruction starts 4 bytes before its return address. */
    @Override
    long instruction(WalkFrame f) {
        long pc = f.get("pc");
        return f.foundBy == FoundBy.CONTEXT ? pc : pc - 4;
    }

    /** The context's lr as a plain address. */
    void prepareContext(WalkFrame first) {
        Long lr = first.get("lr");
        if (lr != null) {
            first.context.put("lr", strip(lr));
        }
    }

    /** The address without pointer authentication bits, if that lands in a module; else unchanged. */
    long strip(long pointer) {
        long stripped = pointer & addressMask;
        return code.module(stripped).isPresent() ? stripped : pointer;
    }

    @Override
    WalkFrame findCaller(List<WalkFrame> frames, boolean scanAllowed) {
        WalkFrame last = frames.get(frames.size() - 1);
        WalkFrame f = byCfi(last, ESSENTIALS);
        if (f != null) {
            f.set("pc", strip(f.get("pc")));
        }
        if (f == null) {
            f = byFramePointer(frames, last);
        }
        if (f == null && scanAllowed) {
            long[] found = scanAbove(last, last.get("sp"));
            if (found != null) {
                f = new WalkFrame(last.context, Set.of(), FoundBy.SCAN);
                f.set("pc", found[1]);
                f.set("sp", found[0] + 8);
            }
        }
        return f;
    }

    private WalkFrame byFramePointer(List<WalkFrame> frames, WalkFrame last) {
        if (!last.isValid("lr")) {
            correctLrByFramePointer(frames, last);
        }
        long fp = value(last, "fp");
        long callerFp = 0;
        long callerLr = 0;
        if (fp != 0) {
            Long savedFp = memory.read(fp, 8);
            Long savedLr = memory.read(fp + 8, 8);
            if (savedFp == null || savedLr == null) {
                return null;
            }
            callerFp = savedFp;
            callerLr = strip(savedLr);
        }
        WalkFrame f = new WalkFrame(last.context, Set.of(), FoundBy.FRAME_POINTER);
        f.set("fp", callerFp);
        f.set("sp", fp != 0 ? fp + 16 : value(last, "sp"));
        f.set("pc", value(last, "lr"));
        f.set("lr", callerLr);
        return f;
    }

    /**
     * A frame found by scanning has no lr; if its fp is the one its callee's frame record saved, the lr saved
     * beside it is this frame's.
     */
    private void correctLrByFramePointer(List<WalkFrame> frames, WalkFrame last) {
        if (frames.size() < 2 || Long.compareUnsigned(value(last, "fp"), value(last, "sp")) <= 0) {
            return;
        }
        long calleeFp = value(frames.get(frames.size() - 2), "fp");
        if (calleeFp == 0) {
            return;
        }
        Long savedFp = memory.read(calleeFp, 8);
        if (savedFp == null || savedFp != value(last, "fp")) {
            return;
        }
        Long savedLr = memory.read(calleeFp + 8, 8);
        if (savedLr != null) {
            last.context.put("lr", strip(savedLr));
        }
    }

    private static long value(WalkFrame f, String register) {
        Long v = f.get(register);
        return v == null ? 0 : v;
    }
}
