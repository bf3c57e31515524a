package org.leakscope.symbols.pdb;

import org.leakscope.model.InputFormatException;

/**
 * The {@link ProcedureNames} of one open PDB: names with argument types from the TPI (and IPI) streams, as
 * {@link TypeRecordNames} spells them, or the plain names when the PDB has no usable type stream.
 */
final class TypedProcedureNames {
    static final int TPI = 2;
    static final int DBI = 3;
    static final int IPI = 4;
    /** Offset of the DBI header's SymRecordStream field. */
    private static final int DBI_SYM_RECORD_STREAM = 20;

    /** mozilla's dump_syms: the symbol's own name, anonymous namespaces spelled as Itanium demanglers spell them. */
    static final ProcedureNames MOZILLA = p -> p.name().replace("`anonymous namespace'", "(anonymous namespace)");

    private TypedProcedureNames() {
    }

    /**
     * The names for procedures of {@code pdb}; {@code info} says whether it has an IPI stream. Never throws for
     * damaged type streams: falls back to {@link ProcedureNames#PLAIN} for the file (a damaged header, or no type
     * records at all) or for the procedure (a damaged record).
     */
    static ProcedureNames forPdb(MsfFile pdb, PdbInfo info) {
        return forPdb(pdb, info, DumpSymsFlavor.BREAKPAD);
    }

    /**
     * The names for procedures of {@code pdb} as {@code flavor}'s tool spells them: for {@link DumpSymsFlavor#MOZILLA}
     * {@link MozillaTypedNames}, or {@link #MOZILLA} when the PDB has no usable type records.
     */
    static ProcedureNames forPdb(MsfFile pdb, PdbInfo info, DumpSymsFlavor flavor) {
        try {
            ProcedureNames plain = flavor == DumpSymsFlavor.MOZILLA ? MOZILLA : ProcedureNames.PLAIN;
            if (!pdb.hasStream(TPI) || pdb.streamSize(TPI) == 0) {
                return plain;
            }
            TypeStream tpi = TypeStream.open(pdb.stream(TPI));
            if (tpi.end() == TypeStream.FIRST_INDEX) {
                // a stripped PDB (moz_basic32-min.pdb: a TPI header and no records); every procedure's type is
                // 0, which must not read as a typeless funclet ("static  name()")
                return plain;
            }
            TypeStream ipi = info.hasIdStream() && pdb.hasStream(IPI) && pdb.streamSize(IPI) > 0
                    ? TypeStream.open(pdb.stream(IPI)) : null;
            if (flavor == DumpSymsFlavor.MOZILLA) {
                return new MozillaTypedNames(new TypeNames(tpi), ipi);
            }
            return new TypeRecordNames(tpi, ipi, new CFunctionNames(symbolRecords(pdb)));
        } catch (InputFormatException e) {
            return flavor == DumpSymsFlavor.MOZILLA ? MOZILLA : ProcedureNames.PLAIN;
        }
    }

    /** The DBI's symbol record stream (where S_PUB32 records live), or null. */
    static MsfStream symbolRecords(MsfFile pdb) {
        if (!pdb.hasStream(DBI) || pdb.streamSize(DBI) < DBI_SYM_RECORD_STREAM + 2) {
            return null;
        }
        int index = pdb.stream(DBI).u16(DBI_SYM_RECORD_STREAM);
        return index != 0xFFFF && pdb.hasStream(index) ? pdb.stream(index) : null;
    }
}
