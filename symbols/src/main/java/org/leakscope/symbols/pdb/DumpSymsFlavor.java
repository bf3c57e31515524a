package org.leakscope.symbols.pdb;

/**
 * Which reference tool's output a PDB's records reproduce where the two differ, each checked against its own
 * corpus files:
 * <ul>
 * <li>{@link #BREAKPAD}: Breakpad's dump_syms, which asks Microsoft's DIA (bp_dump_syms_regtest*.sym,
 *     bp_omap_reorder_funcs.sym). FUNC names with argument types ({@link TypeRecordNames}); STACK WIN frame data
 *     then FPO, programs as stored ({@link StackWinRecords}).</li>
 * <li>{@link #MOZILLA}: mozilla's dump_syms (Rust, no DIA; moz_basic32-min.sym, moz_dump_syms_regtest64.sym).
 *     FUNC names as the procedure symbols spell them, with MSVC's {@code `anonymous namespace'} written
 *     {@code (anonymous namespace)}, and argument types as pdb-addr2line spells them when the PDB has type records
 *     ({@link MozillaTypedNames}); publics, FILE and line records as {@link MozillaPublics} and
 *     {@link MozillaLines} say; STACK WIN merged by address, programs trimmed.</li>
 * </ul>
 * Both describe the same functions and unwind alike; {@link #BREAKPAD} is the reference Breakpad's processor was
 * written against.
 */
public enum DumpSymsFlavor {
    BREAKPAD, MOZILLA
}
