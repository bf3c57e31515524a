/**
 * Symbol files: Breakpad {@code .sym} stores resolve module offsets to function, offset, file and line.
 *
 * <p>A symbol file is indexed once (FUNC and PUBLIC addresses with the byte offsets of their records, in
 * primitive arrays) and names and line tables are read from the file only on lookup, so a 100 MB {@code .sym}
 * costs a few megabytes of heap, not its size in strings. Files are found lazily: only modules a report
 * actually needs are opened.
 */
package org.leakscope.symbols;
