package org.leakscope.symbols;

/**
 * A PE file's CodeView record (what a debug directory entry of type CODEVIEW points at): which PDB holds the
 * image's symbols and which build of it. RSDS (PDB 7.0, MSVC since 2002, mingw-w64 with {@code --build-id}) has
 * a GUID; NB10 (PDB 2.0, older linkers) a 32-bit signature. Both have an age (incremented by incremental links)
 * and the PDB's path as the linker wrote it.
 *
 * @param format    {@code RSDS} or {@code NB10}
 * @param signature for RSDS the GUID in Breakpad's spelling without the age (32 hex digits), for NB10 the
 *                  signature as 8 hex digits
 * @param age       the age, unsigned
 * @param pdbPath   the PDB path from the record ({@code c:\build\dump_syms_regtest64.pdb}), possibly empty
 * @param debugId   the signature and age in Breakpad's form, as a minidump's module list and a symbol store
 *                  spell them ({@code 72E103A85CB249078B76B2E7C06257B13})
 */
public record PeCodeView(String format, String signature, long age, String pdbPath, String debugId) {

    /**
     * The file name part of {@link #pdbPath()}, either separator: the debug file name of a Breakpad MODULE line
     * and of a symbol store path ({@code dump_syms_regtest64.pdb}).
     */
    public String pdbName() {
        int cut = Math.max(pdbPath.lastIndexOf('\\'), pdbPath.lastIndexOf('/'));
        return pdbPath.substring(cut + 1);
    }
}
