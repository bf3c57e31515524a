package org.leakscope.symbols.pdb;

/**
 * The {@link ProcedureNames} of one open PDB: the place the type-record reader (TPI and IPI streams) is made.
 * Until it lands this gives the plain names.
 */
final class TypedProcedureNames {
    private TypedProcedureNames() {
    }

    /**
     * The names for procedures of {@code pdb}; {@code info} says whether it has an IPI stream. Must not throw
     * for damaged type streams: fall back to {@link ProcedureNames#PLAIN} (per procedure or for the file).
     */
    static ProcedureNames forPdb(MsfFile pdb, PdbInfo info) {
        return ProcedureNames.PLAIN;
    }
}
