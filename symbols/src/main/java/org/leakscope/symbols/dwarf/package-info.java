/**
 * DWARF debug information (what {@code gcc -g} and {@code x86_64-w64-mingw32-gcc -g} write): function, file and
 * line, and inline frames, for ELF files (32/64-bit, either byte order) and mingw PE files; and the records
 * dump_syms writes for them ({@link org.leakscope.symbols.dwarf.DwarfSymbols#toSymbolData}).
 *
 * <p>Debug files are gigabytes, so nothing is read twice or kept whole: opening reads the file's headers and maps
 * the {@code .debug_*} sections (the symbol table is read only when DWARF cannot answer, or for the file's
 * identity); the first lookup indexes the compile units' address ranges into primitive arrays (one pass over the
 * unit headers, {@code .debug_aranges} where present, else each unit's own DIE); a unit's DIEs and line program are
 * decoded when an address inside it is asked for. A decoded unit keeps only its functions, inlined calls and the
 * scopes that qualify their names (not its types, variables or parameters), in primitive arrays; decoded units
 * stay cached up to a byte budget per file (a quarter of the heap, at most 1 GiB), the least recently used going
 * first. On a generated 2 GB file (1,160 units) opening takes milliseconds and the first lookup a few hundred;
 * see {@code bench/dwarf.sh}.
 * Compressed sections are inflated on first use, after their declared size was checked against a cap and against
 * what zlib can produce from their bytes.
 *
 * <p>Damage is contained: every read goes through a bounded {@code Cursor} that reports the section and offset
 * where bytes ran out or a value was impossible, as an {@link org.leakscope.model.InputFormatException}; a
 * damaged unit, line program or name becomes a recorded problem and its addresses fall back to the symbol table.
 * Chains of DW_AT_specification/DW_AT_abstract_origin longer than 16 links (cycles), DIE trees nested deeper than
 * 4,096 levels and DW_FORM_indirect chains end with an error; every line program opcode consumes at least one
 * byte of a program whose length its header bounds, so no program runs forever.
 *
 * <p>Section headers are read by hand rather than through {@code elf_symbols.ksy}, which reads little-endian ELF
 * only; the build identity and symbol table come from {@link org.leakscope.symbols.ElfSymbolFile} and
 * {@link org.leakscope.symbols.PeSymbolFile}.
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
