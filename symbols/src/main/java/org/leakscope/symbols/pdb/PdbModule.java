package org.leakscope.symbols.pdb;

/**
 * One module (object file or import library member) of the DBI stream's module list.
 *
 * @param index        position in the list (the module index section contributions refer to)
 * @param name         the module name (an object file path, or {@code Import:KERNEL32.dll})
 * @param objectName   the object or library file it came from
 * @param symbolStream the stream of its symbols and line tables, or -1 when it has none
 * @param symbolBytes  bytes of symbol records at the start of that stream (including the 4-byte signature)
 * @param c11Bytes     bytes of old-style (C11) line tables after the symbols
 * @param c13Bytes     bytes of C13 debug subsections (lines, file checksums, inlinee lines) after those
 */
public record PdbModule(int index, String name, String objectName, int symbolStream, long symbolBytes,
        long c11Bytes, long c13Bytes) {
}
