package org.leakscope.symbols.pdb;

import org.leakscope.model.InputFormatException;

/**
 * Names of inlined functions: an S_INLINESITE's inlinee is an item of the IPI stream, LF_FUNC_ID (scope id,
 * type, name) or LF_MFUNC_ID (parent class type, type, name). {@link #name} is the record's own name, as
 * llvm-pdbutil prints it; {@link #qualified} puts the scope in front as llvm-symbolizer does: an LF_FUNC_ID's
 * scope (an LF_STRING_ID such as {@code google_breakpad}), an LF_MFUNC_ID's class type as the TPI stream names
 * it. An item that is not a function id, or lies outside the stream, has no name.
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

    /**
     * {@link #name} with its scope ({@code Scope::name}); the plain name when the scope cannot be named (no TPI
     * stream, a damaged or foreign record). Null as for {@link #name}.
     */
    static String qualified(TypeStream ipi, TypeNames tpi, long item) {
        String name = name(ipi, item);
        if (name == null) {
            return null;
        }
        MsfStream.Cursor c = ipi.record(item);
        long scope = c.u32();
        String prefix = null;
        try {
            if (ipi.kind(item) == TypeLeaf.LF_MFUNC_ID) {
                prefix = tpi == null ? null : tpi.type(scope, TypeNames.Style.UNDECORATED);
            } else if (scope != 0 && ipi.kind(scope) == TypeLeaf.LF_STRING_ID) {
                MsfStream.Cursor s = ipi.record(scope);
                s.skip(4); // the list of substrings a long string is split into: MSVC's scopes are short
                prefix = s.hasRemaining() ? s.cstring(MAX_NAME) : null;
            }
        } catch (TypeNames.Unnamable | InputFormatException e) {
            prefix = null; // the name alone still says which function
        }
        return prefix == null || prefix.isEmpty() ? name : prefix + "::" + name;
    }
}
