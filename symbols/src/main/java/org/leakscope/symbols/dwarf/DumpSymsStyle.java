package org.leakscope.symbols.dwarf;

/**
 * Which dump_syms' output {@link DwarfSymbols#toSymbolData} reproduces. Both write the same FUNC, PUBLIC and
 * INLINE records; their line records differ.
 */
public enum DumpSymsStyle {
    /**
     * Mozilla's (Rust) dump_syms: adjacent rows of the same file and line are one record, and without inline
     * records, inlined code is attributed to the line that calls it in the function.
     */
    MOZILLA,
    /** Breakpad's dump_syms: one line record per line-table row, the inlined code's own line. */
    BREAKPAD
}
