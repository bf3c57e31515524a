/**
 * Symbol files: Breakpad {@code .sym} stores resolve module offsets to function, offset, file and line; ELF and
 * PE program files to function and offset.
 *
 * <p>A symbol file is indexed once (FUNC and PUBLIC addresses with the byte offsets of their records, in
 * primitive arrays) and names and line tables are read from the file only on lookup, so a 100 MB {@code .sym}
 * costs a few megabytes of heap, not its size in strings. Files are found lazily: only modules a report
 * actually needs are opened.
 *
 * <p>Without a Breakpad file, a module is named from the program file itself: an ELF file's symbol tables
 * ({@link org.leakscope.symbols.ElfSymbolFile}) or a PE file's COFF symbols and exports
 * ({@link org.leakscope.symbols.PeSymbolFile}), told apart by their magic, found by name in a store root or at
 * the module's own path (Wine's {@code Z:} drive read as the Linux root). Only their headers and symbol tables
 * are read.
 */
package org.leakscope.symbols;
