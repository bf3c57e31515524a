package org.leakscope.symbols;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.symbols.X64UnwindCode.Op;

/**
 * Decodes an UNWIND_INFO (its fixed layout through {@code pe_symbols.ksy}) and its slot array into operations:
 * an operation takes 1 to 3 slots, which only the operation code says. Anything the Windows unwinder would
 * reject is an {@link InputFormatException} at the byte at fault: a version other than 1 or 2, operation codes
 * 11 to 15, ALLOC_LARGE or PUSH_MACHFRAME with an info it does not define, an operation whose operand slots are
 * past the slot count, bytes that end inside the record.
 */
final class X64UnwindDecoder {
    private static final int HEADER = 4;

    private X64UnwindDecoder() {
    }

    /** An UNWIND_INFO's bytes (possibly more than it needs) and their file offset. */
    record Bytes(byte[] bytes, long at) {
    }

    static X64UnwindInfo decode(String source, long rva, Bytes b) {
        PeSymbols.UnwindInfo u = FileRange.parse(source, b.bytes(), 0, b.at(), "an UNWIND_INFO", "an UNWIND_INFO",
                PeSymbols.UnwindInfo::new);
        int version = u.version();
        if (version != 1 && version != 2) {
            throw InputFormatException.atOffset(source, b.at(), "UNWIND_INFO version 1 or 2", "version " + version);
        }
        int frameOffset = u.frameOffsetScaled() * 16;
        List<PeSymbols.UnwindCodeSlot> slots = u.slots();
        List<X64UnwindCode> codes = new ArrayList<>();
        for (int i = 0; i < slots.size(); ) {
            PeSymbols.UnwindCodeSlot s = slots.get(i);
            long at = b.at() + HEADER + 2L * i;
            int info = s.info();
            int offset = s.prologOffset();
            X64UnwindCode c = switch (s.op()) {
                case 0 -> new X64UnwindCode(offset, Op.PUSH_NONVOL, info, 0);
                case 1 -> {
                    if (info > 1) {
                        throw InputFormatException.atOffset(source, at + 1, "UWOP_ALLOC_LARGE with info 0 or 1",
                                "info " + info);
                    }
                    long size = info == 0 ? 8L * operand(source, slots, i, 1, at) : operand32(source, slots, i, at);
                    yield new X64UnwindCode(offset, Op.ALLOC_LARGE, info, size);
                }
                case 2 -> new X64UnwindCode(offset, Op.ALLOC_SMALL, info, info * 8L + 8);
                case 3 -> new X64UnwindCode(offset, Op.SET_FPREG, info, frameOffset);
                case 4 -> new X64UnwindCode(offset, Op.SAVE_NONVOL, info, 8L * operand(source, slots, i, 1, at));
                case 5 -> new X64UnwindCode(offset, Op.SAVE_NONVOL_FAR, info, operand32(source, slots, i, at));
                // version 1's withdrawn UWOP_SAVE_XMM (two slots) became version 2's UWOP_EPILOG (one)
                case 6 -> version == 2 ? new X64UnwindCode(offset, Op.EPILOG, info, 0)
                        : new X64UnwindCode(offset, Op.SAVE_XMM, info, 16L * operand(source, slots, i, 1, at));
                case 7 -> new X64UnwindCode(offset, version == 2 ? Op.SPARE : Op.SAVE_XMM_FAR, info,
                        operand32(source, slots, i, at));
                case 8 -> new X64UnwindCode(offset, Op.SAVE_XMM128, info, 16L * operand(source, slots, i, 1, at));
                case 9 -> new X64UnwindCode(offset, Op.SAVE_XMM128_FAR, info, operand32(source, slots, i, at));
                case 10 -> {
                    if (info > 1) {
                        throw InputFormatException.atOffset(source, at + 1, "UWOP_PUSH_MACHFRAME with info 0 or 1",
                                "info " + info);
                    }
                    yield new X64UnwindCode(offset, Op.PUSH_MACHFRAME, info, 0);
                }
                default -> throw InputFormatException.atOffset(source, at + 1, "an unwind operation code 0 to 10",
                        "code " + s.op());
            };
            codes.add(c);
            i += c.slots();
        }
        PeSymbols.RuntimeFunction chained = u.chained();
        return new X64UnwindInfo(rva, version, u.flags(), u.lenProlog(), u.frameRegister(), frameOffset, codes,
                chained == null ? null
                        : new X64RuntimeFunction(chained.rvaBegin(), chained.rvaEnd(), chained.rvaUnwindInfo()),
                u.rvaHandler() == null ? -1 : u.rvaHandler());
    }

    /** The 16-bit operand in slot {@code i + k}, which must be one of the record's slots. */
    private static int operand(String source, List<PeSymbols.UnwindCodeSlot> slots, int i, int k, long at) {
        if (i + k >= slots.size()) {
            throw InputFormatException.atOffset(source, at, "an unwind operation whose operand slots are inside"
                    + " the record's " + slots.size() + " slots", "slot " + (i + k) + " needed");
        }
        return slots.get(i + k).operand();
    }

    /** The 32-bit operand in slots {@code i + 1} (low half) and {@code i + 2}. */
    private static long operand32(String source, List<PeSymbols.UnwindCodeSlot> slots, int i, long at) {
        long low = operand(source, slots, i, 1, at);
        long high = operand(source, slots, i, 2, at);
        return low | high << 16;
    }
}
