package org.leakscope.symbols.pdb;

/**
 * How a procedure's FUNC name is spelled. dump_syms prints a procedure with its argument types
 * ({@code Foo::bar(int, char const *)}), which come from the type record the procedure symbol references; this
 * hook is where the type-record reader plugs in. {@link #PLAIN} is the symbol's own name, used when the PDB has
 * no usable type records.
 */
@FunctionalInterface
public interface ProcedureNames {
    /** The symbol's name as written in the PDB, without argument types. */
    ProcedureNames PLAIN = Procedure::name;

    /** The FUNC name of {@code procedure}. */
    String name(Procedure procedure);

    /**
     * What a procedure symbol says about its name and type.
     *
     * @param name      the name field of the S_GPROC32/S_LPROC32 (or _ID) record: qualified, no arguments
     * @param typeIndex the record's type index: into the TPI stream (LF_PROCEDURE, LF_MFUNCTION) for the
     *                  plain forms, into the IPI stream (LF_FUNC_ID, LF_MFUNC_ID) for the _ID forms
     * @param idForm    true for S_GPROC32_ID/S_LPROC32_ID, whose type index is an item id in the IPI stream
     * @param kind      the CodeView record kind (0x1110 S_GPROC32, 0x110f S_LPROC32, 0x1147, 0x1146 the _ID forms)
     */
    record Procedure(String name, long typeIndex, boolean idForm, int kind) {
    }
}
