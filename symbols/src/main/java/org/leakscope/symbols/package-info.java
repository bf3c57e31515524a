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
 * the module's own path (Wine's {@code Z:} drive read as the Linux root). Only their headers, symbol tables and
 * the records that identify them are read.
 *
 * <p>A stripped ELF program (no {@code .debug_info}) that matched its module is named from its separate debug file
 * when one of the same build id is found ({@link org.leakscope.symbols.store.DebugFileLocator}: build-id trees under
 * {@code /usr/lib/debug} and the symbol path's folders, {@code .gnu_debuglink} with its CRC, debuginfod servers),
 * read by DWARF at the same module offsets; {@link org.leakscope.symbols.SymbolStore#origins()} names that file.
 *
 * <p><b>A file is used only for the build it was made from.</b> A file found by name may be another build
 * (the crashed machine's libgcc from 2013, this machine's from today; last week's DLL in a store root), and its
 * names would be confidently wrong. So every file, whichever way it was found, is checked against what the
 * input recorded of the module ({@link org.leakscope.symbols.ModuleMatch}); the first rule both sides can answer
 * decides:
 * <ol>
 * <li><b>Debug id.</b> ELF: the GNU build-id note ({@code .note.gnu.build-id}, else a PT_NOTE segment), its
 * first 16 bytes read as a GUID plus age 0, as Breakpad's FileID spells it; a file without the note is
 * identified by Breakpad's XOR of the first 4 KiB of {@code .text}. When the dump also holds the whole build id
 * (Breakpad's and lldb's BpEL record; the module's code id), the whole id must agree. PE: the GUID and age of
 * the CodeView RSDS record (NB10: signature and age). {@code .sym}: the MODULE line's id, even for a file
 * filed under the module's id.</li>
 * <li><b>Code id</b>, when one side has no debug id: PE TimeDateStamp and SizeOfImage ({@code %08X%x});
 * {@code .sym}: the INFO CODE_ID line.</li>
 * <li><b>Size</b>, when neither side has both ids (resmon logs, UMDH and libresmon snapshots record only base,
 * size and path): PE SizeOfImage; ELF the span of its PT_LOAD segments, as libresmon records it, or that span
 * rounded out to 4 KiB pages, as Linux dump writers record mappings; {@code .sym} the SizeOfImage in a PE code
 * id.</li>
 * </ol>
 * A file that differs, or that nothing can be compared with, is not used: the frame stays
 * {@code module+offset} and a warning names the file and both ids ("ignoring /lib/x86_64-linux-gnu/libgcc_s.so.1:
 * its build id 6f03… (debug id 4C38…0) differs from the loaded module libgcc_s.so.1 (debug id 18B1…0)"); the
 * next candidate (another root, the module's own path) may still be the right build.
 *
 * <p><b>PE images beyond names.</b> {@link org.leakscope.symbols.PeImageInfo} reads only the headers and the debug
 * directory (every entry; the RSDS or NB10 CodeView record with the PDB's path): the MODULE and
 * {@code INFO CODE_ID} lines of a {@code .sym} written from a PE alone, and the {@code name.exe/<codeId>/} key of a
 * Microsoft symbol store. {@link org.leakscope.symbols.X64Unwind} reads an x64 image's .pdata and, on demand, its
 * .xdata: the unwind program in effect at an address (for the stack walker) and STACK CFI records as mozilla's
 * dump_syms writes them. Both sit on {@code pe_symbols.ksy}, whose generated classes are package-private here,
 * which is why they live in this package and not in a {@code pe} sub-package.
 */
package org.leakscope.symbols;
