/**
 * DWARF in ELF and mingw-w64 PE files.
 *
 * <p>Call frame information: {@link org.leakscope.symbols.dwarf.CallFrameInfo} reads {@code .eh_frame}
 * (found through {@code .eh_frame_hdr}) and {@code .debug_frame}, parses CIEs and FDEs
 * ({@code CfiEntries}), runs the {@code DW_CFA_*} rule machine ({@code CfiMachine}) for one FDE up to an
 * address, and gives the stack walker the rules in effect there ({@link org.leakscope.symbols.dwarf.CfiRules},
 * registers numbered and named per {@link org.leakscope.symbols.dwarf.CfiArchitecture}); for {@code dumpsyms}
 * it writes every FDE as Breakpad {@code STACK CFI} records ({@code BreakpadCfi}). Sections are mapped, never
 * copied; each FDE is decoded only when an address inside it is asked for.
 */
package org.leakscope.symbols.dwarf;
