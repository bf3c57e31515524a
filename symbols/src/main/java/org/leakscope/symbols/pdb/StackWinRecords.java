package org.leakscope.symbols.pdb;

import java.util.List;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * The {@code STACK WIN} records of one PDB, from the FPO and new-FPO (frame data) streams the DBI optional
 * debug header names ({@link DbiStream#DBG_FPO}, {@link DbiStream#DBG_NEW_FPO}): the place the frame-data
 * reader plugs in. Until it lands this gives none.
 */
final class StackWinRecords {
    private StackWinRecords() {
    }

    /**
     * The records, at final RVAs: for an OMAP-ed binary their addresses are original ones, to go through
     * {@link AddressMap#translate(long)} when {@link AddressMap#hasOmap()}. Damage may throw
     * {@link org.leakscope.model.InputFormatException}; {@link PdbSymbols#toSymbolData()} records it as a
     * problem and writes no STACK WIN records.
     */
    static List<SymbolData.StackWin> read(MsfFile pdb, DbiStream dbi, AddressMap addresses) {
        return List.of();
    }
}
