package org.leakscope.symbols;

/**
 * One operation of an x64 UNWIND_INFO, decoded from its 1 to 3 slots.
 *
 * @param prologOffset the offset in the prolog of the instruction after the one this code describes (for
 *                     {@link Op#EPILOG}: the raw low byte, the epilog's size or offset)
 * @param op           the operation
 * @param info         the 4-bit operation info: the register number for PUSH_NONVOL and the SAVE_ codes (an XMM
 *                     number for the XMM ones), 1 for a PUSH_MACHFRAME with an error code, the raw high bits
 *                     for EPILOG
 * @param operand      bytes allocated (ALLOC_*), the save slot's offset in bytes (SAVE_*, already scaled), the
 *                     frame register's offset from RSP in bytes (SET_FPREG); 0 otherwise
 */
public record X64UnwindCode(int prologOffset, Op op, int info, long operand) {

    /** The operations, named as Microsoft's UWOP_ constants. */
    public enum Op {
        /** UWOP_PUSH_NONVOL (0): push of a general register, RSP -= 8. */
        PUSH_NONVOL,
        /** UWOP_ALLOC_LARGE (1): RSP -= operand, with a 16-bit scaled (info 0) or a 32-bit (info 1) size. */
        ALLOC_LARGE,
        /** UWOP_ALLOC_SMALL (2): RSP -= 8 to 128. */
        ALLOC_SMALL,
        /** UWOP_SET_FPREG (3): the frame register = RSP + the UNWIND_INFO's frame offset. */
        SET_FPREG,
        /** UWOP_SAVE_NONVOL (4): a general register stored at [RSP + 16-bit offset * 8]. */
        SAVE_NONVOL,
        /** UWOP_SAVE_NONVOL_FAR (5): the same with a 32-bit unscaled offset. */
        SAVE_NONVOL_FAR,
        /** UWOP_EPILOG (6 in version 2): where an epilog is, not what it does. */
        EPILOG,
        /** UWOP_SAVE_XMM (6 in version 1, withdrawn): an XMM register at a 16-bit offset * 16. */
        SAVE_XMM,
        /** UWOP_SAVE_XMM_FAR (7 in version 1, withdrawn): the same with a 32-bit offset. */
        SAVE_XMM_FAR,
        /** UWOP_SPARE_CODE (7 in version 2): reserved, three slots, no effect. */
        SPARE,
        /** UWOP_SAVE_XMM128 (8): all of an XMM register at a 16-bit offset * 16. */
        SAVE_XMM128,
        /** UWOP_SAVE_XMM128_FAR (9): the same with a 32-bit offset. */
        SAVE_XMM128_FAR,
        /** UWOP_PUSH_MACHFRAME (10): an interrupt's or exception's machine frame (plus an error code if info 1). */
        PUSH_MACHFRAME
    }

    /** The general registers by unwind number, in Breakpad's spelling. */
    private static final String[] REGISTERS = {"$rax", "$rcx", "$rdx", "$rbx", "$rsp", "$rbp", "$rsi", "$rdi", "$r8",
        "$r9", "$r10", "$r11", "$r12", "$r13", "$r14", "$r15"};

    /** How many 2-byte slots the operation takes in the UNWIND_INFO (its operands follow it). */
    public int slots() {
        return switch (op) {
            case PUSH_NONVOL, ALLOC_SMALL, SET_FPREG, EPILOG, PUSH_MACHFRAME -> 1;
            case SAVE_NONVOL, SAVE_XMM, SAVE_XMM128 -> 2;
            case SAVE_NONVOL_FAR, SAVE_XMM_FAR, SPARE, SAVE_XMM128_FAR -> 3;
            case ALLOC_LARGE -> info == 0 ? 2 : 3;
        };
    }

    /** A general register's Breakpad name by its 4-bit unwind number ({@code $rbx}). */
    public static String register(int number) {
        return REGISTERS[number & 15];
    }
}
