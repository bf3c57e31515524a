package org.leakscope.symbols.pdb;

/**
 * Names of inlined functions: an S_INLINESITE's inlinee is an item of the IPI stream, LF_FUNC_ID (scope id,
 * type, name) or LF_MFUNC_ID (parent class type, type, name). The name is the record's own, as llvm-pdbutil
 * prints it; an item that is not a function id, or lies outside the stream, has no name.
 */
final class InlineeNames {
    private static final int MAX_NAME = 64 * 1024;

    private InlineeNames() {
    }

    /** The function name of {@code item}, or null when {@code ipi} is absent or the item names no function. */
    static String name(TypeStream ipi, long item) {
        if (ipi == null) {
            return null;
        }
        int kind = ipi.kind(item);
        if (kind != TypeLeaf.LF_FUNC_ID && kind != TypeLeaf.LF_MFUNC_ID) {
            return null;
        }
        MsfStream.Cursor c = ipi.record(item);
        c.skip(8); // scope id or parent class type, then the function type
        return c.hasRemaining() ? c.cstring(MAX_NAME) : "";
    }
}
