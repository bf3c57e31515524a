/**
 * Program Database (PDB) files, the symbols of programs built by Microsoft's compiler: functions with their
 * source lines, publics, and the identity (GUID and age) a module's CodeView record is matched against.
 *
 * <p>Layers, each depending only on the one below: {@link org.leakscope.symbols.pdb.MsfFile} (the MSF 7.00
 * container: superblock, block map, stream directory; streams read through memory mappings, never whole onto
 * the heap), the fixed streams ({@link org.leakscope.symbols.pdb.PdbInfo}, the DBI stream and what it points
 * at), the per-module symbol and line streams, and {@link org.leakscope.symbols.pdb.PdbSymbols}, the
 * {@link org.leakscope.symbols.ImageSymbols} the symbol service uses and what {@code dumpsyms} writes from.
 * Fixed layouts are Kaitai specs in {@code src/main/kaitai/pdb/}, generated into this package and kept
 * package-private.
 *
 * <p>PDBs are 1 to 4 GB for large programs: opening reads the directory only, and every count, size, offset and
 * stream number from the file is checked before it sizes an allocation or is followed; damage is an
 * {@link org.leakscope.model.InputFormatException} naming the file, the byte offset, what was expected and what
 * was found.
 */
package org.leakscope.symbols.pdb;
